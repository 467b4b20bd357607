{#- One row per report day, platform, account, campaign, ad group and ad
    (Google ad, Facebook ad, LinkedIn creative; hierarchy in doc
    ads__hierarchy_mapping): impressions, clicks, spend and the platform's
    own conversions, in the account's currency and in GBP at the rate of
    report_date (int_fx_rates__daily_filled; NULL without a rate, never a
    guessed one). report_date is the platform's day: the account's zone
    for Google and Facebook, UTC for LinkedIn. Quarantined staging rows are
    not here (int_quarantined_rows_unioned counts them); test accounts are
    flagged (is_test_account), not dropped. CPC and CTR are NULL when there
    is no click or impression to divide by. -#}
{#- the key: the grain's columns with a separator, so that ('1', '23') and
    ('12', '3') differ; a NULL part (an unresolved level) hashes as '' -#}
{%- set key_parts = [dbt.cast('report_date', dbt.type_string())] -%}
{%- for column in [
    'platform', 'account_id', 'campaign_id', 'ad_group_id', 'ad_id'
] -%}
{%- do key_parts.extend(["'|'", "coalesce(" ~ column ~ ", '')"]) -%}
{%- endfor %}
with

ad_performance as (

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
        impressions,
        clicks,
        spend,
        platform_conversions,
        platform_conversion_value,
        is_test_account
    from {{ ref('int_ads__performance_unioned') }}

),

fx_rates as (

    select
        rate_date,
        currency_code,
        units_per_reporting_unit
    from {{ ref('int_fx_rates__daily_filled') }}

),

converted as (

    select
        ad_performance.*,
        fx_rates.units_per_reporting_unit as fx_units_per_gbp,
        {{ to_reporting_currency(
            'ad_performance.spend', 'fx_rates.units_per_reporting_unit'
        ) }} as spend_gbp,
        {{ to_reporting_currency(
            'ad_performance.platform_conversion_value',
            'fx_rates.units_per_reporting_unit'
        ) }} as platform_conversion_value_gbp
    from ad_performance
    left outer join fx_rates
        on
            ad_performance.account_currency_code = fx_rates.currency_code
            and ad_performance.report_date = fx_rates.rate_date

),

final as (

    select
        {{ dbt.hash(dbt.concat(key_parts)) }} as ad_performance_id,
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
        cast(fx_units_per_gbp as {{ type_double() }}) as fx_units_per_gbp,
        cast(spend_gbp as {{ type_money() }}) as spend_gbp,
        cast(
            round(spend_gbp / nullif(clicks, 0), 6) as {{ type_money() }}
        ) as cpc_gbp,
        cast(
            cast(clicks as {{ type_double() }}) / nullif(impressions, 0)
            as {{ type_double() }}
        ) as ctr,
        cast(platform_conversions as {{ type_double() }})
            as platform_conversions,
        cast(platform_conversion_value as {{ type_money() }})
            as platform_conversion_value,
        cast(platform_conversion_value_gbp as {{ type_money() }})
            as platform_conversion_value_gbp,
        is_test_account
    from converted

)

select * from final
