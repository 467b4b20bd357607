{#- rpt_campaign_performance counts every campaign session once: per month
    its sessions equal the sessions of real visitors in fct_sessions that
    carry a utm_campaign or an ad click id. Rows returned are months where
    they differ. -#}
with

sessions as (

    select session_date
    from {{ ref('fct_sessions') }}
    where
        not coalesce(is_internal_user, false)
        and (
            utm_campaign is not null
            or gclid is not null
            or gbraid is not null
            or wbraid is not null
            or msclkid is not null
            or fbclid is not null
            or li_fat_id is not null
        )

),

campaign_performance as (

    select
        report_month,
        session_count
    from {{ ref('rpt_campaign_performance') }}

),

sessions_by_month as (

    select
        cast({{ dbt.date_trunc('month', 'session_date') }} as date)
            as report_month,
        count(*) as session_count
    from sessions
    group by 1

),

report_by_month as (

    select
        report_month,
        sum(session_count) as session_count
    from campaign_performance
    group by 1

)

select
    coalesce(
        sessions_by_month.report_month, report_by_month.report_month
    ) as report_month,
    sessions_by_month.session_count as fct_session_count,
    report_by_month.session_count as report_session_count
from sessions_by_month
full outer join report_by_month
    on sessions_by_month.report_month = report_by_month.report_month
where
    coalesce(sessions_by_month.session_count, 0)
    != coalesce(report_by_month.session_count, 0)
