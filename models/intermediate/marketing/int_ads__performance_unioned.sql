{#- One row per report day, platform, account, campaign, ad group and ad:
    the three platforms' daily ad performance in one schema, money in the
    account's currency (spend is never summed across currencies here; the
    mart converts to GBP). report_date is the day as the platform reports
    it: the account's time zone for Google and Facebook, UTC for LinkedIn
    (account_timezone says which). The hierarchy is mapped per platform
    (doc ads__hierarchy_mapping). A table: the mart, its tests and the
    reconciliation read it. -#}
{{ config(materialized='table') }}
with

google_ads as (

    select * from {{ ref('int_ads__google_ads_performance_joined') }}

),

facebook_ads as (

    select * from {{ ref('int_ads__facebook_ads_performance_joined') }}

),

linkedin_ads as (

    select * from {{ ref('int_ads__linkedin_ads_performance_joined') }}

),

unioned as (

    -- noqa: disable=LT02
    {% for platform in ['google_ads', 'facebook_ads', 'linkedin_ads'] -%}
    select
        report_date,
        platform,
        account_id,
        account_name,
        account_currency_code,
        account_timezone,
        campaign_id,
        campaign_name,
        ad_group_id,
        ad_group_name,
        ad_id,
        ad_name,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        cast(impressions as {{ dbt.type_bigint() }}) as impressions,
        cast(clicks as {{ dbt.type_bigint() }}) as clicks,
        cast(spend as {{ type_money() }}) as spend,
        cast(platform_conversions as {{ type_double() }})
            as platform_conversions,
        cast(platform_conversion_value as {{ type_money() }})
            as platform_conversion_value,
        is_test_account
    from {{ platform }}
    {% if not loop.last -%}
    union all
    {% endif -%}
    {%- endfor %}
    -- noqa: enable=LT02

)

select * from unioned
