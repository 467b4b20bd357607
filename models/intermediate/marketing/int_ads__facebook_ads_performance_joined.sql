{#- One row per Facebook ad and report day (the account's time zone), in
    the unified ad-performance schema of int_ads__performance_unioned: the
    basic_ad report row with the latest version of the ad, its ad set (the
    ad-group level), campaign, creative (UTM tags) and account. Clicks are
    link clicks (inline_link_clicks: the clicks that open the landing page
    and can start a session). Quarantined rows are left out
    (int_quarantined_rows_unioned counts them). Facebook has no test-account
    flag: is_test_account is false. -#}
with

basic_ad as (

    select
        account_id,
        ad_id,
        ad_name,
        ad_set_name,
        report_date,
        impressions,
        inline_link_clicks,
        spend_amount
    from {{ ref('stg_facebook_ads__basic_ad') }}
    where quarantine_reason is null

),

conversions as (

    select
        ad_id,
        report_date,
        platform_conversions,
        platform_conversion_value
    from {{ ref('int_ads__facebook_ads_conversions_aggregated') }}

),

ads as (

    select
        ad_id,
        account_id,
        ad_set_id,
        campaign_id,
        creative_id,
        ad_name
    from {{ ref('stg_facebook_ads__ad_history') }}
    where is_most_recent_record and quarantine_reason is null

),

ad_sets as (

    select
        ad_set_id,
        ad_set_name
    from {{ ref('stg_facebook_ads__ad_set_history') }}
    where is_most_recent_record and quarantine_reason is null

),

campaigns as (

    select
        campaign_id,
        campaign_name
    from {{ ref('stg_facebook_ads__campaign_history') }}
    where is_most_recent_record and quarantine_reason is null

),

creatives as (

    select
        creative_id,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content
    from {{ ref('stg_facebook_ads__creative_history') }}
    where is_most_recent_record and quarantine_reason is null

),

accounts as (

    select
        account_id,
        account_name,
        currency_code,
        timezone_name
    from {{ ref('stg_facebook_ads__account_history') }}
    where is_most_recent_record and quarantine_reason is null

),

joined as (

    select
        basic_ad.report_date,
        'facebook_ads' as platform,
        coalesce(basic_ad.account_id, ads.account_id) as account_id,
        accounts.account_name,
        accounts.currency_code as account_currency_code,
        accounts.timezone_name as account_timezone,
        ads.campaign_id,
        campaigns.campaign_name,
        ads.ad_set_id as ad_group_id,
        coalesce(ad_sets.ad_set_name, basic_ad.ad_set_name) as ad_group_name,
        basic_ad.ad_id,
        coalesce(ads.ad_name, basic_ad.ad_name) as ad_name,
        creatives.utm_source,
        creatives.utm_medium,
        creatives.utm_campaign,
        creatives.utm_content,
        basic_ad.impressions,
        basic_ad.inline_link_clicks as clicks,
        basic_ad.spend_amount as spend,
        coalesce(conversions.platform_conversions, 0)
            as platform_conversions,
        coalesce(conversions.platform_conversion_value, 0)
            as platform_conversion_value,
        false as is_test_account
    from basic_ad
    left outer join conversions
        on
            basic_ad.ad_id = conversions.ad_id
            and basic_ad.report_date = conversions.report_date
    left outer join ads
        on basic_ad.ad_id = ads.ad_id
    left outer join ad_sets
        on ads.ad_set_id = ad_sets.ad_set_id
    left outer join campaigns
        on ads.campaign_id = campaigns.campaign_id
    left outer join creatives
        on ads.creative_id = creatives.creative_id
    left outer join accounts
        on coalesce(basic_ad.account_id, ads.account_id) = accounts.account_id

)

select * from joined
