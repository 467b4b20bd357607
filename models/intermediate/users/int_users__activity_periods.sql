{#- One row per user x activity type x period granularity x period in which
    the user was active (the user x period table of event-analytics §8).

    Activity type 'active_app': at least one non-quarantined session of
    the identified user (fct_sessions.user_id not null: logged in during
    the session, or on the device they owned at the time). Sessions are
    built from the interactive event set only (pages, screens and tracks
    flagged interactive in the seed), so server events, backgrounding and
    passive exposures never make a user active. Periods are reporting-time
    -zone weeks (ISO, starting Monday) and calendar months of the session
    start. Internal/test users are left out. -#}
with

sessions as (

    select
        user_id,
        session_date
    from {{ ref('fct_sessions') }}
    where
        user_id is not null
        and not is_internal_user

),

weekly as (

    select
        user_id,
        'week' as period_granularity,
        cast(
            {{ week_start('session_date') }} as date
        ) as period_start_date,
        count(*) as session_count
    from sessions
    group by 1, 2, 3

),

monthly as (

    select
        user_id,
        'month' as period_granularity,
        cast(
            {{ dbt.date_trunc('month', 'session_date') }} as date
        ) as period_start_date,
        count(*) as session_count
    from sessions
    group by 1, 2, 3

),

unioned as (

    select * from weekly
    union all
    select * from monthly

),

final as (

    select
        user_id,
        'active_app' as activity_type,
        period_granularity,
        period_start_date,
        session_count
    from unioned

)

select * from final
