{#- One row per customer: every app user the source has held (hard
    deletes kept and flagged, so that sessions and money they left keep a
    parent), internal and test accounts included and flagged,
    erased people absent. No personal data: the date of birth only becomes
    an age band at sign-up. First touch is the user's first tracked
    session (fct_sessions.user_session_number = 1, which can come after
    sign-up when nothing earlier was tracked); last touch is the last
    session that started at or before sign-up (last touch before
    conversion). Both are NULL without such a session. Money comes from
    the ledger (int_users__money_summed): flows in GBP at each posting
    day's rate, balances at the latest rate; 0 for a user without ledger
    lines. -#}
with

app_users as (

    select
        user_id,
        app_user_id,
        referred_by_app_user_id,
        date_of_birth,
        country_code,
        signup_platform,
        kyc_status,
        investor_category,
        account_status,
        is_marketing_opt_in,
        is_internal,
        is_deleted,
        _is_source_deleted,
        signed_up_at,
        kyc_approved_at
    from {{ ref('stg_app_mysql__users') }}
    where
        {{ not_erased('user_id', 'user_id') }}
        and {{ not_erased('app_user_id', 'app_user_id') }}

),

sessions as (

    select
        session_id,
        user_id,
        user_session_number,
        channel,
        utm_source,
        utm_medium,
        utm_campaign,
        session_start_at
    from {{ ref('fct_sessions') }}
    where user_id is not null

),

money as (

    select * from {{ ref('int_users__money_summed') }}

),

hubspot_contacts as (

    select
        user_id,
        lifecycle_stage
    from {{ ref('int_hubspot__contacts_merged') }}

),

conversations as (

    select
        user_id,
        conversation_id
    from {{ ref('int_helpscout__conversations_matched') }}
    where user_id is not null

),

first_touches as (

    select
        user_id,
        channel,
        utm_source,
        utm_medium,
        utm_campaign,
        session_start_at
    from sessions
    where user_session_number = 1

),

{# last touch before conversion: the session's start at or before the
    sign-up; a session in which the user signed up counts #}
last_touches as (

    select
        sessions.user_id,
        sessions.channel,
        sessions.utm_source,
        sessions.utm_medium,
        sessions.utm_campaign,
        sessions.session_start_at
    from sessions
    inner join app_users
        on sessions.user_id = app_users.user_id
    where sessions.session_start_at <= app_users.signed_up_at
    qualify row_number() over (
            partition by sessions.user_id
            order by sessions.session_start_at desc, sessions.session_id desc
        ) = 1

),

conversation_counts as (

    select
        user_id,
        count(*) as support_conversation_count
    from conversations
    group by 1

),

{# age in whole years at sign-up, from calendar parts (both engines) #}
ages as (

    select
        user_id,
        extract(year from signed_up_at) - extract(year from date_of_birth)
        - case
            when
                extract(month from signed_up_at) * 100
                + extract(day from signed_up_at)
                < extract(month from date_of_birth) * 100
                + extract(day from date_of_birth)
                then 1
            else 0
        end as age_at_signup
    from app_users
    where date_of_birth is not null and signed_up_at is not null

),

final as (

    select
        app_users.user_id,
        {{ hash_key('app_users.user_id') }} as user_key,
        app_users.signup_platform,
        app_users.country_code,
        app_users.kyc_status,
        app_users.account_status,
        app_users.investor_category,
        case
            when ages.age_at_signup is null then null
            when ages.age_at_signup < 18 then 'under-18'
            when ages.age_at_signup < 25 then '18-24'
            when ages.age_at_signup < 35 then '25-34'
            when ages.age_at_signup < 45 then '35-44'
            when ages.age_at_signup < 55 then '45-54'
            when ages.age_at_signup < 65 then '55-64'
            else '65-plus'
        end as age_band_at_signup,
        first_touches.channel as first_touch_channel,
        first_touches.utm_source as first_touch_source,
        first_touches.utm_medium as first_touch_medium,
        first_touches.utm_campaign as first_touch_campaign,
        last_touches.channel as last_touch_channel,
        last_touches.utm_source as last_touch_source,
        last_touches.utm_medium as last_touch_medium,
        last_touches.utm_campaign as last_touch_campaign,
        hubspot_contacts.lifecycle_stage as hubspot_lifecycle_stage,
        cast(coalesce(money.deposit_count, 0) as {{ dbt.type_bigint() }})
            as deposit_count,
        cast(coalesce(money.investment_count, 0) as {{ dbt.type_bigint() }})
            as investment_count,
        cast(
            coalesce(conversation_counts.support_conversation_count, 0)
            as {{ dbt.type_bigint() }}
        ) as support_conversation_count,
        cast(
            coalesce(money.lifetime_deposits_gbp, 0) as {{ type_money() }}
        ) as lifetime_deposits_gbp,
        cast(
            coalesce(money.lifetime_refunds_gbp, 0) as {{ type_money() }}
        ) as lifetime_refunds_gbp,
        cast(
            coalesce(money.lifetime_withdrawals_gbp, 0) as {{ type_money() }}
        ) as lifetime_withdrawals_gbp,
        cast(
            coalesce(money.lifetime_investments_gbp, 0) as {{ type_money() }}
        ) as lifetime_investments_gbp,
        cast(
            coalesce(money.lifetime_divestments_gbp, 0) as {{ type_money() }}
        ) as lifetime_divestments_gbp,
        cast(
            coalesce(money.lifetime_interest_gbp, 0) as {{ type_money() }}
        ) as lifetime_interest_gbp,
        cast(
            coalesce(money.lifetime_fees_gbp, 0) as {{ type_money() }}
        ) as lifetime_fees_gbp,
        cast(
            coalesce(money.cash_balance_gbp, 0) as {{ type_money() }}
        ) as cash_balance_gbp,
        cast(
            coalesce(money.investment_balance_gbp, 0) as {{ type_money() }}
        ) as investment_balance_gbp,
        cast(
            coalesce(money.isa_balance_gbp, 0) as {{ type_money() }}
        ) as isa_balance_gbp,
        cast(
            coalesce(money.total_balance_gbp, 0) as {{ type_money() }}
        ) as total_balance_gbp,
        app_users.is_internal,
        app_users.is_marketing_opt_in,
        app_users.referred_by_app_user_id is not null as is_referred,
        app_users.is_deleted,
        app_users._is_source_deleted as is_hard_deleted,
        cast(app_users.signed_up_at as {{ dbt.type_timestamp() }})
            as signed_up_at,
        cast(app_users.kyc_approved_at as {{ dbt.type_timestamp() }})
            as kyc_approved_at,
        cast(money.first_deposit_at as {{ dbt.type_timestamp() }})
            as first_deposit_at,
        cast(money.first_investment_at as {{ dbt.type_timestamp() }})
            as first_investment_at,
        cast(first_touches.session_start_at as {{ dbt.type_timestamp() }})
            as first_touch_at,
        cast(last_touches.session_start_at as {{ dbt.type_timestamp() }})
            as last_touch_at
    from app_users
    left outer join ages
        on app_users.user_id = ages.user_id
    left outer join first_touches
        on app_users.user_id = first_touches.user_id
    left outer join last_touches
        on app_users.user_id = last_touches.user_id
    left outer join money
        on app_users.user_id = money.user_id
    left outer join hubspot_contacts
        on app_users.user_id = hubspot_contacts.user_id
    left outer join conversation_counts
        on app_users.user_id = conversation_counts.user_id

)

select * from final
