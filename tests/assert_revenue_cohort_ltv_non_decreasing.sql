{#- The LTV curve of rpt_cohort_metrics never falls: within a cohort,
    cumulative revenue per member does not decrease from one complete
    month of life to the next (revenue there is fees charged plus a
    modelled margin, neither negative unless a seed margin is). Returns
    the cohort months where it falls. -#}
with

cohort_metrics as (

    select
        cohort_month,
        month_of_life,
        cumulative_revenue_per_user_gbp
    from {{ ref('rpt_cohort_metrics') }}
    where is_month_complete

),

compared as (

    select
        cohort_month,
        month_of_life,
        cumulative_revenue_per_user_gbp,
        lag(cumulative_revenue_per_user_gbp) over (
            partition by cohort_month
            order by month_of_life
        ) as previous_cumulative_revenue_per_user_gbp
    from cohort_metrics

),

fallen as (

    select *
    from compared
    where
        cumulative_revenue_per_user_gbp
        < previous_cumulative_revenue_per_user_gbp
        or (
            cumulative_revenue_per_user_gbp is null
            and previous_cumulative_revenue_per_user_gbp is not null
        )

)

select * from fallen
