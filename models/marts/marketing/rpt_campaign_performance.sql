{#- One row per calendar month x ad platform x campaign: spend, impressions
    and clicks (fct_ad_performance_daily, month of the platform's
    report_date), campaign sessions (int_campaigns__sessions_matched, month
    of the session's reporting date), sign-ups and first deposits credited
    to the campaign's sessions (last-touch and linear, month of the
    conversion's reporting date), attributed first-deposit revenue per
    model, CAC (spend / last-touch first deposits; also per last-non-direct
    first deposits, as first deposits are mostly made in logged-in Direct
    sessions) and ROAS (revenue / spend, per model); ratios are NULL when
    the divisor is 0.
    Nothing is dropped so totals reconcile: campaign sessions matching no
    ad campaign, and conversions credited to them, land on campaign_id
    '(unmatched)' (is_unmatched_campaign) of their platform, or of platform
    '(unmatched)' when unknown; spend of a campaign month without any
    matched session stays on the campaign's row, flagged
    has_spend_without_sessions. Test accounts' campaigns are kept (spend
    reconciles with fct_ad_performance_daily) and flagged is_test_account:
    filter them out for CAC and ROAS. The month of the latest data day is
    not complete (is_month_complete false): its figures cover the month so
    far. -#}
with

ad_performance as (

    select
        report_date,
        platform,
        campaign_id,
        campaign_name,
        impressions,
        clicks,
        spend_gbp,
        is_test_account
    from {{ ref('fct_ad_performance_daily') }}

),

campaign_sessions as (

    select
        session_id,
        session_date,
        platform,
        campaign_id
    from {{ ref('int_campaigns__sessions_matched') }}

),

attributed_conversions as (

    select
        session_id,
        conversion_type,
        converted_date,
        last_touch_weight,
        linear_weight,
        last_non_direct_weight,
        first_touch_revenue_gbp,
        last_touch_revenue_gbp,
        linear_revenue_gbp,
        position_based_revenue_gbp,
        last_non_direct_revenue_gbp
    from {{ ref('fct_attributed_conversions') }}
    where session_id is not null

),

{# the campaign's latest name and its account's test flag #}
campaign_names as (

    select
        platform,
        campaign_id,
        campaign_name,
        is_test_account
    from ad_performance
    where campaign_name is not null
    qualify row_number() over (
            partition by platform, campaign_id
            order by report_date desc, campaign_name asc
        ) = 1

),

spend as (

    select
        cast({{ dbt.date_trunc('month', 'report_date') }} as date)
            as report_month,
        platform,
        campaign_id,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(spend_gbp) as spend_gbp
    from ad_performance
    group by 1, 2, 3

),

sessions as (

    select
        cast({{ dbt.date_trunc('month', 'session_date') }} as date)
            as report_month,
        platform,
        campaign_id,
        count(*) as session_count
    from campaign_sessions
    group by 1, 2, 3

),

conversions as (

    select
        cast({{ dbt.date_trunc(
            'month', 'attributed_conversions.converted_date'
        ) }} as date) as report_month,
        campaign_sessions.platform,
        campaign_sessions.campaign_id,
        sum(
            case
                when attributed_conversions.conversion_type = 'sign_up'
                    then attributed_conversions.last_touch_weight
            end
        ) as sign_ups_last_touch,
        sum(
            case
                when attributed_conversions.conversion_type = 'sign_up'
                    then attributed_conversions.linear_weight
            end
        ) as sign_ups_linear,
        sum(
            case
                when attributed_conversions.conversion_type = 'first_deposit'
                    then attributed_conversions.last_touch_weight
            end
        ) as first_deposits_last_touch,
        sum(
            case
                when attributed_conversions.conversion_type = 'first_deposit'
                    then attributed_conversions.linear_weight
            end
        ) as first_deposits_linear,
        sum(
            case
                when attributed_conversions.conversion_type = 'first_deposit'
                    then attributed_conversions.last_non_direct_weight
            end
        ) as first_deposits_last_non_direct,
        sum(attributed_conversions.first_touch_revenue_gbp)
            as first_touch_revenue_gbp,
        sum(attributed_conversions.last_touch_revenue_gbp)
            as last_touch_revenue_gbp,
        sum(attributed_conversions.linear_revenue_gbp)
            as linear_revenue_gbp,
        sum(attributed_conversions.position_based_revenue_gbp)
            as position_based_revenue_gbp,
        sum(attributed_conversions.last_non_direct_revenue_gbp)
            as last_non_direct_revenue_gbp
    from attributed_conversions
    inner join campaign_sessions
        on attributed_conversions.session_id = campaign_sessions.session_id
    group by 1, 2, 3

),

row_keys_unioned as (

    select
        report_month,
        platform,
        campaign_id
    from spend
    union all
    select
        report_month,
        platform,
        campaign_id
    from sessions
    union all
    select
        report_month,
        platform,
        campaign_id
    from conversions

),

row_keys as (

    select
        report_month,
        platform,
        campaign_id
    from row_keys_unioned
    group by 1, 2, 3

),

{# the last day with ads or session data ends the complete months #}
data_days as (

    select max(report_date) as data_date
    from ad_performance
    union all
    select max(session_date) as data_date
    from campaign_sessions

),

data_bounds as (

    select max(data_date) as data_end_date
    from data_days

),

joined as (

    select
        row_keys.report_month,
        row_keys.platform,
        row_keys.campaign_id,
        coalesce(
            campaign_names.campaign_name,
            case
                when row_keys.campaign_id = '(unmatched)'
                    then '(unmatched)'
            end
        ) as campaign_name,
        coalesce(campaign_names.is_test_account, false) as is_test_account,
        coalesce(spend.impressions, 0) as impressions,
        coalesce(spend.clicks, 0) as clicks,
        coalesce(spend.spend_gbp, 0) as spend_gbp,
        coalesce(sessions.session_count, 0) as session_count,
        coalesce(conversions.sign_ups_last_touch, 0) as sign_ups_last_touch,
        coalesce(conversions.sign_ups_linear, 0) as sign_ups_linear,
        coalesce(conversions.first_deposits_last_touch, 0)
            as first_deposits_last_touch,
        coalesce(conversions.first_deposits_linear, 0)
            as first_deposits_linear,
        coalesce(conversions.first_deposits_last_non_direct, 0)
            as first_deposits_last_non_direct,
        coalesce(conversions.first_touch_revenue_gbp, 0)
            as first_touch_revenue_gbp,
        coalesce(conversions.last_touch_revenue_gbp, 0)
            as last_touch_revenue_gbp,
        coalesce(conversions.linear_revenue_gbp, 0) as linear_revenue_gbp,
        coalesce(conversions.position_based_revenue_gbp, 0)
            as position_based_revenue_gbp,
        coalesce(conversions.last_non_direct_revenue_gbp, 0)
            as last_non_direct_revenue_gbp,
        row_keys.campaign_id = '(unmatched)' as is_unmatched_campaign,
        {{ dbt.last_day('row_keys.report_month', 'month') }}
        <= data_bounds.data_end_date as is_month_complete
    from row_keys
    cross join data_bounds
    left outer join campaign_names
        on
            row_keys.platform = campaign_names.platform
            and row_keys.campaign_id = campaign_names.campaign_id
    left outer join spend
        on
            row_keys.report_month = spend.report_month
            and row_keys.platform = spend.platform
            and row_keys.campaign_id = spend.campaign_id
    left outer join sessions
        on
            row_keys.report_month = sessions.report_month
            and row_keys.platform = sessions.platform
            and row_keys.campaign_id = sessions.campaign_id
    left outer join conversions
        on
            row_keys.report_month = conversions.report_month
            and row_keys.platform = conversions.platform
            and row_keys.campaign_id = conversions.campaign_id

),

final as (

    select
        cast(report_month as date) as report_month,
        cast(platform as {{ dbt.type_string() }}) as platform,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(campaign_name as {{ dbt.type_string() }}) as campaign_name,
        cast(impressions as {{ dbt.type_bigint() }}) as impressions,
        cast(clicks as {{ dbt.type_bigint() }}) as clicks,
        cast(spend_gbp as {{ type_money() }}) as spend_gbp,
        cast(session_count as {{ dbt.type_bigint() }}) as session_count,
        cast(sign_ups_last_touch as {{ type_double() }})
            as sign_ups_last_touch,
        cast(sign_ups_linear as {{ type_double() }}) as sign_ups_linear,
        cast(first_deposits_last_touch as {{ type_double() }})
            as first_deposits_last_touch,
        cast(first_deposits_linear as {{ type_double() }})
            as first_deposits_linear,
        cast(first_deposits_last_non_direct as {{ type_double() }})
            as first_deposits_last_non_direct,
        cast(first_touch_revenue_gbp as {{ type_money() }})
            as first_touch_revenue_gbp,
        cast(last_touch_revenue_gbp as {{ type_money() }})
            as last_touch_revenue_gbp,
        cast(linear_revenue_gbp as {{ type_money() }}) as linear_revenue_gbp,
        cast(position_based_revenue_gbp as {{ type_money() }})
            as position_based_revenue_gbp,
        cast(last_non_direct_revenue_gbp as {{ type_money() }})
            as last_non_direct_revenue_gbp,
        cast(
            case
                when
                    first_deposits_last_touch > 0
                    and not is_unmatched_campaign
                    then spend_gbp / first_deposits_last_touch
            end as {{ type_money() }}
        ) as cac_last_touch_gbp,
        cast(
            case
                when
                    first_deposits_last_non_direct > 0
                    and not is_unmatched_campaign
                    then spend_gbp / first_deposits_last_non_direct
            end as {{ type_money() }}
        ) as cac_last_non_direct_gbp,
        {% for attribution_model in [
            'first_touch', 'last_touch', 'linear', 'position_based',
            'last_non_direct'
        ] %}
        cast(
            case
                when spend_gbp > 0
                    then {{ attribution_model }}_revenue_gbp / spend_gbp
            end as {{ type_double() }}
        ) as roas_{{ attribution_model }},
        {% endfor %}
        cast(is_unmatched_campaign as {{ dbt.type_boolean() }})
            as is_unmatched_campaign,
        cast(is_test_account as {{ dbt.type_boolean() }}) as is_test_account,
        cast(
            spend_gbp > 0 and session_count = 0 as {{ dbt.type_boolean() }}
        ) as has_spend_without_sessions,
        cast(is_month_complete as {{ dbt.type_boolean() }})
            as is_month_complete
    from joined

)

select * from final
