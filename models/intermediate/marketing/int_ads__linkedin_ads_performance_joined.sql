{#- One row per LinkedIn creative and report day (UTC: LinkedIn reports UTC
    days and its accounts carry no time zone, so account_timezone is UTC),
    in the unified ad-performance schema of int_ads__performance_unioned.
    LinkedIn's levels are shifted against Google's: the campaign group is
    the campaign, the LinkedIn campaign the ad group, the creative the ad
    (doc ads__hierarchy_mapping). The creative's latest version gives its
    campaign, whose latest version gives the group and the account.
    Creatives carry no name (ad_name NULL). Conversions are website
    conversions (external_website_conversions, post-click and post-view);
    lead-form leads are not counted. Quarantined rows are left out. -#}
with

ad_analytics as (

    select
        creative_id,
        report_date,
        impressions,
        clicks,
        cost_amount,
        external_website_conversions,
        conversion_value_amount
    from {{ ref('stg_linkedin_ads__ad_analytics_by_creative') }}
    where quarantine_reason is null

),

creatives as (

    select
        creative_id,
        campaign_id,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content
    from {{ ref('stg_linkedin_ads__creative_history') }}
    where is_most_recent_record and quarantine_reason is null

),

campaigns as (

    select
        campaign_id,
        campaign_group_id,
        account_id,
        campaign_name
    from {{ ref('stg_linkedin_ads__campaign_history') }}
    where is_most_recent_record and quarantine_reason is null

),

campaign_groups as (

    select
        campaign_group_id,
        campaign_group_name
    from {{ ref('stg_linkedin_ads__campaign_group_history') }}
    where is_most_recent_record and quarantine_reason is null

),

accounts as (

    select
        account_id,
        account_name,
        currency_code
    from {{ ref('stg_linkedin_ads__account_history') }}
    where is_most_recent_record and quarantine_reason is null

),

joined as (

    select
        ad_analytics.report_date,
        'linkedin_ads' as platform,
        campaigns.account_id,
        accounts.account_name,
        accounts.currency_code as account_currency_code,
        'UTC' as account_timezone,
        campaigns.campaign_group_id as campaign_id,
        campaign_groups.campaign_group_name as campaign_name,
        creatives.campaign_id as ad_group_id,
        campaigns.campaign_name as ad_group_name,
        ad_analytics.creative_id as ad_id,
        cast(null as {{ dbt.type_string() }}) as ad_name,
        creatives.utm_source,
        creatives.utm_medium,
        creatives.utm_campaign,
        creatives.utm_content,
        ad_analytics.impressions,
        ad_analytics.clicks,
        ad_analytics.cost_amount as spend,
        coalesce(ad_analytics.external_website_conversions, 0)
            as platform_conversions,
        coalesce(ad_analytics.conversion_value_amount, 0)
            as platform_conversion_value,
        false as is_test_account
    from ad_analytics
    left outer join creatives
        on ad_analytics.creative_id = creatives.creative_id
    left outer join campaigns
        on creatives.campaign_id = campaigns.campaign_id
    left outer join campaign_groups
        on campaigns.campaign_group_id = campaign_groups.campaign_group_id
    left outer join accounts
        on campaigns.account_id = accounts.account_id

)

select * from joined
