{#- One row per app user with the dates of the acquisition milestones, each
    from its source of truth (event-analytics §7): sign-up and KYC approval
    from the app's users table, first deposit and first investment from
    completed transactions (money never comes from Segment). Erased people
    (int_privacy__erased_identifiers_collected) are left out: nothing that
    identifies them may stay downstream of staging. -#}
with

app_users as (

    select * from {{ ref('stg_app_mysql__users') }}

),

transactions as (

    select * from {{ ref('stg_app_mysql__transactions') }}

),

first_movements as (

    select
        app_user_id,
        min(case when transaction_type = 'deposit' then completed_at end)
            as first_deposit_at,
        min(case when transaction_type = 'investment' then completed_at end)
            as first_investment_at
    from transactions
    where
        transaction_status = 'completed'
        and quarantine_reason is null
        and not _is_source_deleted
    group by 1

),

milestones as (

    select
        app_users.user_id,
        app_users.app_user_id,
        app_users.signed_up_at,
        app_users.kyc_approved_at,
        first_movements.first_deposit_at,
        first_movements.first_investment_at,
        app_users.is_internal
    from app_users
    left outer join first_movements
        on app_users.app_user_id = first_movements.app_user_id
    where
        not app_users._is_source_deleted
        and {{ not_erased('app_users.user_id', 'user_id') }}
        and {{ not_erased('app_users.app_user_id', 'app_user_id') }}

)

select * from milestones
