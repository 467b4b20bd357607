{#- One row per cohort granularity (week, month) x cohort basis x cohort
    start x period number: the cohort's size, how many of its users were
    'active_app' (int_users__activity_periods) in period N (bounded
    retention) and in period N or any later one (unbounded retention),
    event-analytics §8.

    Cohort bases: 'first_activity' = the period of the user's first
    active_app session; 'signup' = the period of the app sign-up (users
    never active stay in the denominator). Activity before the cohort
    period is ignored. Internal/test and erased users are in neither the
    numerator nor the denominator.

    Periods come from a spine: each cohort x period numbers 0-999 (a cross
    join of digits, no package), kept while the period has started by the
    data end date (reporting date of the latest session start). A period
    ends when its last day is before the data end date; until then its
    user counts and rates are NULL, not 0. Unbounded counts take activity
    up to the data end, so they can still rise while later periods run. -#}
with

activity_periods as (

    select
        user_id,
        period_granularity,
        period_start_date
    from {{ ref('int_users__activity_periods') }}
    where activity_type = 'active_app'

),

milestones as (

    select
        user_id,
        signed_up_at
    from {{ ref('int_users__milestones') }}
    where
        not is_internal
        and signed_up_at is not null

),

sessions as (

    select session_date from {{ ref('fct_sessions') }}

),

data_end as (

    select max(session_date) as data_end_date
    from sessions

),

granularities as (

    select 'week' as cohort_granularity
    union all
    select 'month' as cohort_granularity

),

digits as (

    select 0 as digit
    union all
    select 1 as digit
    union all
    select 2 as digit
    union all
    select 3 as digit
    union all
    select 4 as digit
    union all
    select 5 as digit
    union all
    select 6 as digit
    union all
    select 7 as digit
    union all
    select 8 as digit
    union all
    select 9 as digit

),

period_numbers as (

    select
        hundreds.digit * 100 + tens.digit * 10 + units.digit
            as period_number
    from digits as hundreds
    cross join digits as tens
    cross join digits as units

),

first_activity_members as (

    select
        user_id,
        period_granularity as cohort_granularity,
        'first_activity' as cohort_basis,
        min(period_start_date) as cohort_start_date
    from activity_periods
    group by 1, 2, 3

),

signup_members as (

    select
        milestones.user_id,
        granularities.cohort_granularity,
        'signup' as cohort_basis,
        case
            when granularities.cohort_granularity = 'week'
                then cast(
                    {{ week_start(to_reporting_date('milestones.signed_up_at')
                ) }} as date
                    )
            else cast({{ dbt.date_trunc(
                'month', to_reporting_date('milestones.signed_up_at')
            ) }} as date)
        end as cohort_start_date
    from milestones
    cross join granularities

),

cohort_members as (

    select * from first_activity_members
    union all
    select * from signup_members

),

cohorts as (

    select
        cohort_granularity,
        cohort_basis,
        cohort_start_date,
        count(*) as cohort_user_count
    from cohort_members
    group by 1, 2, 3

),

spine_periods as (

    select
        cohorts.cohort_granularity,
        cohorts.cohort_basis,
        cohorts.cohort_start_date,
        cohorts.cohort_user_count,
        period_numbers.period_number,
        data_end.data_end_date,
        case
            when cohorts.cohort_granularity = 'week'
                then cast({{ dbt.dateadd(
                    'week', 'period_numbers.period_number',
                    'cohorts.cohort_start_date'
                ) }} as date)
            else cast({{ dbt.dateadd(
                'month', 'period_numbers.period_number',
                'cohorts.cohort_start_date'
            ) }} as date)
        end as period_start_date,
        case
            when cohorts.cohort_granularity = 'week'
                then cast({{ dbt.dateadd(
                    'week', '(period_numbers.period_number + 1)',
                    'cohorts.cohort_start_date'
                ) }} as date)
            else cast({{ dbt.dateadd(
                'month', '(period_numbers.period_number + 1)',
                'cohorts.cohort_start_date'
            ) }} as date)
        end as next_period_start_date
    from cohorts
    cross join period_numbers
    cross join data_end

),

spine as (

    select
        *,
        cast({{ dbt.dateadd(
            'day', -1, 'next_period_start_date'
        ) }} as date) as period_end_date,
        coalesce(next_period_start_date < data_end_date, false)
            as is_period_complete
    from spine_periods
    where period_start_date <= data_end_date

),

{# each member's active periods placed on the spine (no date arithmetic:
    the period number is the spine's for that period start) #}
member_periods as (

    select
        cohort_members.user_id,
        spine.cohort_granularity,
        spine.cohort_basis,
        spine.cohort_start_date,
        spine.period_number
    from cohort_members
    inner join activity_periods
        on
            cohort_members.user_id = activity_periods.user_id
            and cohort_members.cohort_granularity
            = activity_periods.period_granularity
    inner join spine
        on
            cohort_members.cohort_granularity = spine.cohort_granularity
            and cohort_members.cohort_basis = spine.cohort_basis
            and cohort_members.cohort_start_date = spine.cohort_start_date
            and activity_periods.period_start_date = spine.period_start_date

),

active_counts as (

    select
        cohort_granularity,
        cohort_basis,
        cohort_start_date,
        period_number,
        count(distinct user_id) as active_user_count
    from member_periods
    group by 1, 2, 3, 4

),

last_active_periods as (

    select
        user_id,
        cohort_granularity,
        cohort_basis,
        cohort_start_date,
        max(period_number) as last_period_number
    from member_periods
    group by 1, 2, 3, 4

),

{# users whose last active period is N: summed over N and later periods,
    they are the users active in or after N #}
last_active_counts as (

    select
        cohort_granularity,
        cohort_basis,
        cohort_start_date,
        last_period_number,
        count(*) as user_count
    from last_active_periods
    group by 1, 2, 3, 4

),

grid as (

    select
        spine.cohort_granularity,
        spine.cohort_basis,
        spine.cohort_start_date,
        spine.period_number,
        spine.period_start_date,
        spine.period_end_date,
        spine.cohort_user_count,
        spine.is_period_complete,
        spine.data_end_date,
        coalesce(active_counts.active_user_count, 0) as active_user_count,
        sum(coalesce(last_active_counts.user_count, 0)) over (
            partition by
                spine.cohort_granularity,
                spine.cohort_basis,
                spine.cohort_start_date
            order by spine.period_number desc
            rows between unbounded preceding and current row
        ) as unbounded_active_user_count
    from spine
    left outer join active_counts
        on
            spine.cohort_granularity = active_counts.cohort_granularity
            and spine.cohort_basis = active_counts.cohort_basis
            and spine.cohort_start_date = active_counts.cohort_start_date
            and spine.period_number = active_counts.period_number
    left outer join last_active_counts
        on
            spine.cohort_granularity = last_active_counts.cohort_granularity
            and spine.cohort_basis = last_active_counts.cohort_basis
            and spine.cohort_start_date = last_active_counts.cohort_start_date
            and spine.period_number = last_active_counts.last_period_number

),

final as (

    select
        cast(cohort_granularity as {{ dbt.type_string() }})
            as cohort_granularity,
        cast(cohort_basis as {{ dbt.type_string() }}) as cohort_basis,
        cohort_start_date,
        cast(period_number as {{ dbt.type_bigint() }}) as period_number,
        period_start_date,
        period_end_date,
        cast(
            cohort_user_count as {{ dbt.type_bigint() }}
        ) as cohort_user_count,
        cast(case
            when is_period_complete then active_user_count
        end as {{ dbt.type_bigint() }}) as active_user_count,
        cast(case
            when is_period_complete then unbounded_active_user_count
        end as {{ dbt.type_bigint() }}) as unbounded_active_user_count,
        cast(case
            when is_period_complete
                then active_user_count * 1.0 / cohort_user_count
        end as {{ type_double() }}) as retention_rate,
        cast(case
            when is_period_complete
                then unbounded_active_user_count * 1.0 / cohort_user_count
        end as {{ type_double() }}) as unbounded_retention_rate,
        is_period_complete,
        data_end_date
    from grid

)

select * from final
