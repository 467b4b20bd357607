{#- One row per cohort week x entry channel of the acquisition funnel
    (event-analytics §7): how many entrants reached each step (visit ->
    sign-up -> KYC verified -> first deposit -> first investment, in order,
    each within its window of the previous step; int_users__funnel_steps)
    and the step conversion rates.

    Censoring: a step's windows add up from entry, so step k is fully
    observed for a cohort week when the week's last day of entry plus the
    windows up to step k ends before the data end (reporting date of the
    latest session start):
    cohort_week + 7 days + sum(windows up to k) < data_end_date.
    The strict "<" keeps a day's margin for the time zone and DST. Until
    then the rates that involve step k are NULL (not low); counts are the
    conversions seen so far. A rate whose denominator is 0 is NULL too. -#}
{%- set signup_window = var('funnel_signup_window_days', 30) | int -%}
{%- set kyc_window = var('funnel_kyc_window_days', 30) | int -%}
{%- set deposit_window = var('funnel_deposit_window_days', 30) | int -%}
{%- set investment_window = var('funnel_investment_window_days', 30) | int -%}
{%- set signup_horizon = 7 + signup_window -%}
{%- set kyc_horizon = signup_horizon + kyc_window -%}
{%- set deposit_horizon = kyc_horizon + deposit_window -%}
{%- set investment_horizon = deposit_horizon + investment_window -%}
with

funnel_steps as (

    select * from {{ ref('int_users__funnel_steps') }}

),

sessions as (

    select session_start_at from {{ ref('fct_sessions') }}

),

data_end as (

    select
        {{ to_reporting_date('max(session_start_at)') }} as data_end_date
    from sessions

),

step_counts as (

    select
        cohort_week,
        channel,
        count(*) as visitor_count,
        count(signed_up_at) as signed_up_count,
        count(kyc_verified_at) as kyc_verified_count,
        count(first_deposit_at) as first_deposit_count,
        count(first_investment_at) as first_investment_count
    from funnel_steps
    group by 1, 2

),

observability as (

    select
        step_counts.*,
        data_end.data_end_date,
        coalesce(
            cast({{ dbt.dateadd(
                'day', signup_horizon, 'step_counts.cohort_week'
            ) }} as date) < data_end.data_end_date,
            false
        ) as is_signup_observed,
        coalesce(
            cast({{ dbt.dateadd(
                'day', kyc_horizon, 'step_counts.cohort_week'
            ) }} as date) < data_end.data_end_date,
            false
        ) as is_kyc_observed,
        coalesce(
            cast({{ dbt.dateadd(
                'day', deposit_horizon, 'step_counts.cohort_week'
            ) }} as date) < data_end.data_end_date,
            false
        ) as is_deposit_observed,
        coalesce(
            cast({{ dbt.dateadd(
                'day', investment_horizon, 'step_counts.cohort_week'
            ) }} as date) < data_end.data_end_date,
            false
        ) as is_investment_observed
    from step_counts
    cross join data_end

),

final as (

    select
        cohort_week,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(visitor_count as {{ dbt.type_bigint() }}) as visitor_count,
        cast(signed_up_count as {{ dbt.type_bigint() }}) as signed_up_count,
        cast(
            kyc_verified_count as {{ dbt.type_bigint() }}
        ) as kyc_verified_count,
        cast(
            first_deposit_count as {{ dbt.type_bigint() }}
        ) as first_deposit_count,
        cast(
            first_investment_count as {{ dbt.type_bigint() }}
        ) as first_investment_count,
        cast(case
            when is_signup_observed and visitor_count > 0
                then signed_up_count * 1.0 / visitor_count
        end as {{ type_double() }}) as visit_to_signup_rate,
        cast(case
            when is_kyc_observed and signed_up_count > 0
                then kyc_verified_count * 1.0 / signed_up_count
        end as {{ type_double() }}) as signup_to_kyc_rate,
        cast(case
            when is_deposit_observed and kyc_verified_count > 0
                then first_deposit_count * 1.0 / kyc_verified_count
        end as {{ type_double() }}) as kyc_to_deposit_rate,
        cast(case
            when is_investment_observed and first_deposit_count > 0
                then first_investment_count * 1.0 / first_deposit_count
        end as {{ type_double() }}) as deposit_to_investment_rate,
        cast(case
            when is_investment_observed and visitor_count > 0
                then first_investment_count * 1.0 / visitor_count
        end as {{ type_double() }}) as visit_to_investment_rate,
        is_investment_observed as is_fully_observed,
        data_end_date
    from observability

)

select * from final
