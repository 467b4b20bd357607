{#- Spend per platform and currency in the platforms' staging stats
    (non-quarantined rows, currency from the latest non-quarantined account
    version) equals fct_ad_performance_daily's: no stats row is lost or
    doubled by the hierarchy joins, the Google network/device/keyword sum
    or the union. LinkedIn stats reach their account through the latest
    creative and campaign versions, as the mart does. Returns the
    platform × currency cells that differ. -#}
{{ config(store_failures=true) }}
with

google_ads_stats as (

    select
        account_id,
        spend_amount
    from {{ ref('stg_google_ads__ad_stats') }}
    where quarantine_reason is null

),

google_ads_accounts as (

    select
        account_id,
        currency_code
    from {{ ref('stg_google_ads__account_history') }}
    where is_most_recent_record and quarantine_reason is null

),

facebook_ads_stats as (

    select
        account_id,
        spend_amount
    from {{ ref('stg_facebook_ads__basic_ad') }}
    where quarantine_reason is null

),

facebook_ads_accounts as (

    select
        account_id,
        currency_code
    from {{ ref('stg_facebook_ads__account_history') }}
    where is_most_recent_record and quarantine_reason is null

),

linkedin_ads_stats as (

    select
        creative_id,
        cost_amount
    from {{ ref('stg_linkedin_ads__ad_analytics_by_creative') }}
    where quarantine_reason is null

),

linkedin_ads_creatives as (

    select
        creative_id,
        campaign_id
    from {{ ref('stg_linkedin_ads__creative_history') }}
    where is_most_recent_record and quarantine_reason is null

),

linkedin_ads_campaigns as (

    select
        campaign_id,
        account_id
    from {{ ref('stg_linkedin_ads__campaign_history') }}
    where is_most_recent_record and quarantine_reason is null

),

linkedin_ads_accounts as (

    select
        account_id,
        currency_code
    from {{ ref('stg_linkedin_ads__account_history') }}
    where is_most_recent_record and quarantine_reason is null

),

ad_performance as (

    select
        platform,
        account_currency_code,
        spend
    from {{ ref('fct_ad_performance_daily') }}

),

staging_spend as (

    select
        'google_ads' as platform,
        google_ads_accounts.currency_code,
        cast(google_ads_stats.spend_amount as {{ type_money() }}) as spend
    from google_ads_stats
    left outer join google_ads_accounts
        on google_ads_stats.account_id = google_ads_accounts.account_id

    union all

    select
        'facebook_ads' as platform,
        facebook_ads_accounts.currency_code,
        cast(facebook_ads_stats.spend_amount as {{ type_money() }}) as spend
    from facebook_ads_stats
    left outer join facebook_ads_accounts
        on facebook_ads_stats.account_id = facebook_ads_accounts.account_id

    union all

    select
        'linkedin_ads' as platform,
        linkedin_ads_accounts.currency_code,
        cast(linkedin_ads_stats.cost_amount as {{ type_money() }}) as spend
    from linkedin_ads_stats
    left outer join linkedin_ads_creatives
        on linkedin_ads_stats.creative_id = linkedin_ads_creatives.creative_id
    left outer join linkedin_ads_campaigns
        on
            linkedin_ads_creatives.campaign_id
            = linkedin_ads_campaigns.campaign_id
    left outer join linkedin_ads_accounts
        on linkedin_ads_campaigns.account_id = linkedin_ads_accounts.account_id

),

{# a NULL currency (an unresolved account) is a cell of its own. Every
   branch above is cast to type_money(): DuckDB unions DECIMAL(38,9) with
   Facebook's DECIMAL(38,2) as DECIMAL(38,2), rounding the others #}
staging_totals as (

    select
        platform,
        coalesce(currency_code, '(none)') as currency_code,
        count(*) as staging_row_count,
        sum(spend) as staging_spend
    from staging_spend
    group by 1, 2

),

mart_totals as (

    select
        platform,
        coalesce(account_currency_code, '(none)') as currency_code,
        sum(spend) as mart_spend
    from ad_performance
    group by 1, 2

),

compared as (

    select
        coalesce(staging_totals.platform, mart_totals.platform) as platform,
        coalesce(staging_totals.currency_code, mart_totals.currency_code)
            as currency_code,
        staging_totals.staging_row_count,
        staging_totals.staging_spend,
        mart_totals.mart_spend
    from staging_totals
    full outer join mart_totals
        on
            staging_totals.platform = mart_totals.platform
            and staging_totals.currency_code = mart_totals.currency_code

)

select *
from compared
where
    staging_spend is null
    or mart_spend is null
    or abs(staging_spend - mart_spend) > 0.000001
