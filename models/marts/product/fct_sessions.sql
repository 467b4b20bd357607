{#- One row per session (web visit or app use) that is not quarantined:
    start, end, duration, landing page, referrer, campaign, click ids,
    channel, device, platform, counts, the stitched user and the
    conversions that happened in it. Rebuilt every run from the incremental
    events, so a later identify reaches earlier sessions without a full
    refresh and session numbers never drift. -#}
with

sessions as (

    select * from {{ ref('int_sessions__rebuilt') }}

),

quarantined as (

    select * from {{ ref('int_sessions__quarantined') }}

),

channels as (

    select * from {{ ref('int_sessions__channel_grouped') }}

),

stitched as (

    select * from {{ ref('int_identity__anonymous_ids_stitched') }}

),

milestones as (

    select * from {{ ref('int_users__milestones') }}

),

kept as (

    select sessions.*
    from sessions
    left outer join quarantined
        on sessions.session_id = quarantined.session_id
    where quarantined.session_id is null

),

{# the user identified in the session, else the device's owner at its
    start (sessions never hold two users: a hand-over starts a new one) #}
users_attached as (

    select
        kept.*,
        coalesce(kept.identified_user_id, stitched.user_id) as user_id,
        case
            when
                kept.identified_user_id is not null
                then 'identified_in_session'
            when stitched.user_id is not null then 'stitched_device'
            else 'anonymous'
        end as user_id_source
    from kept
    left outer join stitched
        on
            {{ stitched_owner_at('stitched', 'kept', 'session_start_at') }}

),

{# a milestone counts for the session when it happened between the
    session's start and one inactivity gap after its last event (server
    confirmations trail the last click) #}
final as (

    select
        users_attached.session_id,
        users_attached.source_platform,
        users_attached.anonymous_id,
        users_attached.user_id,
        users_attached.user_id_source,
        case
            when users_attached.user_id is not null
                then row_number() over (
                        partition by users_attached.user_id
                        order by
                            users_attached.session_start_at,
                            users_attached.session_id
                    )
        end as user_session_number,
        users_attached.session_start_at,
        users_attached.session_end_at,
        {{ to_reporting_date('users_attached.session_start_at') }}
            as session_date,
        users_attached.duration_seconds,
        users_attached.event_count,
        users_attached.page_view_count,
        users_attached.screen_view_count,
        users_attached.track_count,
        users_attached.page_or_screen_count,
        users_attached.is_bounce,
        users_attached.device_class,
        users_attached.landing_event_type,
        users_attached.landing_event_name,
        users_attached.landing_page_url,
        users_attached.landing_page_host,
        users_attached.landing_page_path,
        users_attached.landing_page_title,
        users_attached.referrer_host,
        users_attached.utm_source,
        users_attached.utm_medium,
        users_attached.utm_campaign,
        users_attached.utm_term,
        users_attached.utm_content,
        users_attached.gclid,
        users_attached.gbraid,
        users_attached.wbraid,
        users_attached.msclkid,
        users_attached.fbclid,
        users_attached.li_fat_id,
        users_attached.utm_id,
        users_attached.hubspot_hsenc,
        coalesce(channels.channel, 'Unassigned') as channel,
        coalesce(milestones.is_internal, false) as is_internal_user,
        coalesce(
            milestones.signed_up_at >= users_attached.session_start_at
            and milestones.signed_up_at <= {{ timestamp_add(
                'minute', var('session_gap_minutes'), 'users_attached.session_end_at'
            ) }},
            false
        ) as has_signed_up,
        coalesce(
            milestones.first_deposit_at >= users_attached.session_start_at
            and milestones.first_deposit_at <= {{ timestamp_add(
                'minute', var('session_gap_minutes'), 'users_attached.session_end_at'
            ) }},
            false
        ) as has_first_deposit,
        coalesce(
            milestones.first_investment_at >= users_attached.session_start_at
            and milestones.first_investment_at <= {{ timestamp_add(
                'minute', var('session_gap_minutes'), 'users_attached.session_end_at'
            ) }},
            false
        ) as has_first_investment
    from users_attached
    left outer join channels
        on users_attached.session_id = channels.session_id
    left outer join milestones
        on users_attached.user_id = milestones.user_id

)

select * from final
