{#- One row per Google Ads ad and report day (the account's time zone), in
    the unified ad-performance schema of int_ads__performance_unioned: the
    ad_stats rows (one per network, device and keyword) summed to the ad,
    with the latest version of the ad, ad group, campaign and account.
    Quarantined rows are left out (int_quarantined_rows_unioned counts
    them); a quarantined latest version leaves its names NULL rather than
    falling back to an older one. PERFORMANCE_MAX spend has no ad rows and
    is not here (campaign_stats only). -#}
with

ad_stats as (

    select
        account_id,
        campaign_id,
        ad_group_id,
        ad_id,
        report_date,
        impression_count,
        click_count,
        spend_amount,
        conversions,
        conversion_value_amount
    from {{ ref('stg_google_ads__ad_stats') }}
    where quarantine_reason is null

),

ads as (

    select
        ad_group_id,
        ad_id,
        ad_name,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content
    from {{ ref('stg_google_ads__ad_history') }}
    where is_most_recent_record and quarantine_reason is null

),

ad_groups as (

    select
        ad_group_id,
        campaign_id,
        ad_group_name
    from {{ ref('stg_google_ads__ad_group_history') }}
    where is_most_recent_record and quarantine_reason is null

),

campaigns as (

    select
        campaign_id,
        campaign_name
    from {{ ref('stg_google_ads__campaign_history') }}
    where is_most_recent_record and quarantine_reason is null

),

accounts as (

    select
        account_id,
        account_name,
        currency_code,
        time_zone,
        is_test_account
    from {{ ref('stg_google_ads__account_history') }}
    where is_most_recent_record and quarantine_reason is null

),

{# network, device and keyword rows summed to the ad and day #}
stats_per_ad as (

    select
        account_id,
        campaign_id,
        ad_group_id,
        ad_id,
        report_date,
        sum(impression_count) as impressions,
        sum(click_count) as clicks,
        sum(spend_amount) as spend,
        sum(conversions) as platform_conversions,
        sum(conversion_value_amount) as platform_conversion_value
    from ad_stats
    group by 1, 2, 3, 4, 5

),

joined as (

    select
        stats_per_ad.report_date,
        'google_ads' as platform,
        stats_per_ad.account_id,
        accounts.account_name,
        accounts.currency_code as account_currency_code,
        accounts.time_zone as account_timezone,
        coalesce(stats_per_ad.campaign_id, ad_groups.campaign_id)
            as campaign_id,
        campaigns.campaign_name,
        stats_per_ad.ad_group_id,
        ad_groups.ad_group_name,
        stats_per_ad.ad_id,
        ads.ad_name,
        ads.utm_source,
        ads.utm_medium,
        ads.utm_campaign,
        ads.utm_content,
        stats_per_ad.impressions,
        stats_per_ad.clicks,
        stats_per_ad.spend,
        stats_per_ad.platform_conversions,
        stats_per_ad.platform_conversion_value,
        coalesce(accounts.is_test_account, false) as is_test_account
    from stats_per_ad
    left outer join ads
        on
            stats_per_ad.ad_group_id = ads.ad_group_id
            and stats_per_ad.ad_id = ads.ad_id
    left outer join ad_groups
        on stats_per_ad.ad_group_id = ad_groups.ad_group_id
    left outer join campaigns
        on
            coalesce(stats_per_ad.campaign_id, ad_groups.campaign_id)
            = campaigns.campaign_id
    left outer join accounts
        on stats_per_ad.account_id = accounts.account_id

)

select * from joined
