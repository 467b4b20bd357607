{#- rpt_campaign_performance loses and invents no spend: per calendar month
    its spend equals fct_ad_performance_daily's, to the penny. Rows
    returned are months where they differ. -#}
with

ad_performance as (

    select
        report_date,
        spend_gbp
    from {{ ref('fct_ad_performance_daily') }}

),

campaign_performance as (

    select
        report_month,
        spend_gbp
    from {{ ref('rpt_campaign_performance') }}

),

ads_by_month as (

    select
        cast({{ dbt.date_trunc('month', 'report_date') }} as date)
            as report_month,
        sum(spend_gbp) as spend_gbp
    from ad_performance
    group by 1

),

report_by_month as (

    select
        report_month,
        sum(spend_gbp) as spend_gbp
    from campaign_performance
    group by 1

)

select
    coalesce(
        ads_by_month.report_month, report_by_month.report_month
    ) as report_month,
    ads_by_month.spend_gbp as ads_spend_gbp,
    report_by_month.spend_gbp as report_spend_gbp
from ads_by_month
full outer join report_by_month
    on ads_by_month.report_month = report_by_month.report_month
where
    abs(
        coalesce(ads_by_month.spend_gbp, 0)
        - coalesce(report_by_month.spend_gbp, 0)
    ) >= 0.01
