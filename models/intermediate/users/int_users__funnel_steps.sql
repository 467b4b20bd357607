{#- One row per entrant of the acquisition funnel (event-analytics §7):
    visit -> sign-up -> KYC verified -> first deposit -> first investment.

    The entrant is the stitched user, or the device (platform +
    anonymous id) for sessions no user owns: a visitor who never signs up
    counts once per device. A user enters at the first session of any of
    their devices (pre-login sessions stitched to them included), with
    that session's channel. A user whose sign-up precedes every tracked
    session (ad blockers, app-only sign-ups) enters at the sign-up, with
    channel '(no tracked visit)', so no step counts more than the visit
    step.

    Each step is the first qualifying time at or after the previous step
    and at most var('funnel_<step>_window_days') days after it (the edge
    itself counts); a step missed, late or out of order ends the journey
    (steps cannot be skipped). Sign-up and KYC approval come from the app
    (one time each); deposits and investments are completed ledger
    movements: the first one at or after the previous step, so a deposit
    made before KYC approval does not count but a later one does.
    Internal/test users and erased users are left out. -#}
{%- set signup_window = var('funnel_signup_window_days', 30) | int -%}
{%- set kyc_window = var('funnel_kyc_window_days', 30) | int -%}
{%- set deposit_window = var('funnel_deposit_window_days', 30) | int -%}
{%- set investment_window = var('funnel_investment_window_days', 30) | int -%}
with

sessions as (

    select
        session_id,
        source_platform,
        anonymous_id,
        user_id,
        session_start_at,
        channel
    from {{ ref('fct_sessions') }}
    where
        not is_internal_user
        and channel != '(excluded)'

),

milestones as (

    select
        user_id,
        app_user_id,
        signed_up_at,
        kyc_approved_at
    from {{ ref('int_users__milestones') }}
    where
        not is_internal
        and signed_up_at is not null

),

transactions as (

    select
        app_user_id,
        transaction_type,
        completed_at
    from {{ ref('stg_app_mysql__transactions') }}
    where
        transaction_status = 'completed'
        and transaction_type in ('deposit', 'investment')
        and quarantine_reason is null
        and not _is_source_deleted

),

visits as (

    select
        coalesce(
            user_id,
            {{ dbt.concat(['source_platform', "':'", 'anonymous_id']) }}
        ) as visitor_id,
        user_id,
        session_id,
        session_start_at,
        channel
    from sessions

),

first_visits as (

    select
        visitor_id,
        user_id,
        session_start_at as first_visit_at,
        channel
    from visits
    where true
    qualify
        row_number() over (
            partition by visitor_id
            order by session_start_at, session_id
        ) = 1

),

{# a sign-up with no tracked session at or before it enters at sign-up #}
entrants as (

    select
        coalesce(first_visits.visitor_id, milestones.user_id) as visitor_id,
        coalesce(first_visits.user_id, milestones.user_id) as user_id,
        milestones.app_user_id,
        milestones.signed_up_at as app_signed_up_at,
        milestones.kyc_approved_at,
        coalesce(
            milestones.signed_up_at is null
            or first_visits.first_visit_at <= milestones.signed_up_at,
            false
        ) as has_tracked_visit,
        case
            when
                milestones.signed_up_at is null
                or first_visits.first_visit_at <= milestones.signed_up_at
                then first_visits.first_visit_at
            else milestones.signed_up_at
        end as entered_at,
        case
            when
                milestones.signed_up_at is null
                or first_visits.first_visit_at <= milestones.signed_up_at
                then first_visits.channel
            else '(no tracked visit)'
        end as channel
    from first_visits
    full outer join milestones
        on first_visits.user_id = milestones.user_id

),

signed_up as (

    select
        entrants.*,
        case
            when
                entrants.app_signed_up_at >= entrants.entered_at
                and entrants.app_signed_up_at <= {{ timestamp_add(
                    'day', signup_window, 'entrants.entered_at'
                ) }}
                then entrants.app_signed_up_at
        end as signed_up_at
    from entrants

),

kyc_verified as (

    select
        signed_up.*,
        case
            when
                signed_up.kyc_approved_at >= signed_up.signed_up_at
                and signed_up.kyc_approved_at <= {{ timestamp_add(
                    'day', kyc_window, 'signed_up.signed_up_at'
                ) }}
                then signed_up.kyc_approved_at
        end as kyc_verified_at
    from signed_up

),

{# the first completed deposit at or after KYC verification #}
deposits_after_kyc as (

    select
        kyc_verified.visitor_id,
        min(transactions.completed_at) as deposited_at
    from kyc_verified
    inner join transactions
        on
            kyc_verified.app_user_id = transactions.app_user_id
            and kyc_verified.kyc_verified_at <= transactions.completed_at
    where transactions.transaction_type = 'deposit'
    group by 1

),

deposited as (

    select
        kyc_verified.*,
        case
            when
                deposits_after_kyc.deposited_at <= {{ timestamp_add(
                    'day', deposit_window, 'kyc_verified.kyc_verified_at'
                ) }}
                then deposits_after_kyc.deposited_at
        end as first_deposit_at
    from kyc_verified
    left outer join deposits_after_kyc
        on kyc_verified.visitor_id = deposits_after_kyc.visitor_id

),

{# the first completed investment at or after that deposit #}
investments_after_deposit as (

    select
        deposited.visitor_id,
        min(transactions.completed_at) as invested_at
    from deposited
    inner join transactions
        on
            deposited.app_user_id = transactions.app_user_id
            and deposited.first_deposit_at <= transactions.completed_at
    where transactions.transaction_type = 'investment'
    group by 1

),

final as (

    select
        deposited.visitor_id,
        deposited.user_id,
        deposited.channel,
        deposited.has_tracked_visit,
        cast({{ week_start(to_reporting_date('deposited.entered_at')
        ) }} as date) as cohort_week,
        deposited.entered_at,
        deposited.signed_up_at,
        deposited.kyc_verified_at,
        deposited.first_deposit_at,
        case
            when
                investments_after_deposit.invested_at
                <= {{ timestamp_add(
                    'day', investment_window, 'deposited.first_deposit_at'
                ) }}
                then investments_after_deposit.invested_at
        end as first_investment_at
    from deposited
    left outer join investments_after_deposit
        on deposited.visitor_id = investments_after_deposit.visitor_id

)

select * from final
