{{ config(materialized='table') }}
{#- One row per conversion x touchpoint: conversions are a user's sign-up
    and first completed deposit (int_users__milestones; internal/test and
    erased users left out); touchpoints are the user's sessions
    (fct_sessions: quarantined ones already left out, user stitched) that
    started at or before the conversion and at most
    var('attribution_lookback_days') (30) days before it, the edge
    included. Touchpoints are numbered by start time (session id breaks
    ties). A conversion with no session in the window keeps one row with a
    NULL session, touchpoint_number 0 and touchpoint_count 0, so nothing is
    lost downstream. -#}
with

milestones as (

    select
        user_id,
        signed_up_at,
        first_deposit_at,
        is_internal
    from {{ ref('int_users__milestones') }}

),

sessions as (

    select
        session_id,
        user_id,
        session_start_at,
        channel,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_term,
        gclid,
        gbraid,
        wbraid,
        msclkid,
        fbclid,
        li_fat_id
    from {{ ref('fct_sessions') }}
    where user_id is not null

),

{# one row per user x conversion type that happened #}
conversions as (

    select
        user_id,
        'sign_up' as conversion_type,
        signed_up_at as converted_at
    from milestones
    where
        signed_up_at is not null
        and not coalesce(is_internal, false)
        and {{ not_erased('user_id', 'user_id') }}
    union all
    select
        user_id,
        'first_deposit' as conversion_type,
        first_deposit_at as converted_at
    from milestones
    where
        first_deposit_at is not null
        and not coalesce(is_internal, false)
        and {{ not_erased('user_id', 'user_id') }}

),

{# the window is [converted_at - lookback days, converted_at], both ends
    included #}
touchpoints_joined as (

    select
        conversions.user_id,
        conversions.conversion_type,
        conversions.converted_at,
        sessions.session_id,
        sessions.session_start_at,
        sessions.channel,
        sessions.utm_source,
        sessions.utm_medium,
        sessions.utm_campaign,
        sessions.utm_content,
        sessions.utm_term,
        sessions.gclid,
        sessions.gbraid,
        sessions.wbraid,
        sessions.msclkid,
        sessions.fbclid,
        sessions.li_fat_id
    from conversions
    left outer join sessions
        on
            conversions.user_id = sessions.user_id
            and conversions.converted_at >= sessions.session_start_at
            and {{ timestamp_add(
                'day',
                -1 * var('attribution_lookback_days', 30),
                'conversions.converted_at'
            ) }} <= sessions.session_start_at

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            'user_id', "'|'", 'conversion_type'
        ])) }} as conversion_id,
        conversion_type,
        user_id,
        converted_at,
        session_id,
        session_start_at,
        channel,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_term,
        gclid,
        gbraid,
        wbraid,
        msclkid,
        fbclid,
        li_fat_id,
        case
            when session_id is null then 0
            else row_number() over (
                    partition by user_id, conversion_type
                    order by session_start_at, session_id
                )
        end as touchpoint_number,
        count(session_id) over (
            partition by user_id, conversion_type
        ) as touchpoint_count,
        coalesce(channel = 'Direct', false) as is_direct
    from touchpoints_joined

)

select * from final
