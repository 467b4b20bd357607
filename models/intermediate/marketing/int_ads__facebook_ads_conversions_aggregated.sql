{#- One row per Facebook ad and report day (the account's time zone) with a
    conversion action: the conversion count and value Facebook credits under
    the account's default attribution window (action_type
    offsite_conversion.* and onsite_conversion.*; link clicks, landing page
    views and engagement are not conversions). Counts and values are summed
    separately, then joined, so neither fans out the other. -#}
with

ad_actions as (

    select
        ad_id,
        report_date,
        action_count
    from {{ ref('stg_facebook_ads__basic_ad_actions') }}
    where quarantine_reason is null and is_conversion

),

ad_action_values as (

    select
        ad_id,
        report_date,
        value_amount
    from {{ ref('stg_facebook_ads__basic_ad_action_values') }}
    where quarantine_reason is null and is_conversion

),

counts_per_ad as (

    select
        ad_id,
        report_date,
        sum(action_count) as platform_conversions
    from ad_actions
    group by 1, 2

),

values_per_ad as (

    select
        ad_id,
        report_date,
        sum(value_amount) as platform_conversion_value
    from ad_action_values
    group by 1, 2

),

joined as (

    select
        coalesce(counts_per_ad.ad_id, values_per_ad.ad_id) as ad_id,
        coalesce(counts_per_ad.report_date, values_per_ad.report_date)
            as report_date,
        coalesce(counts_per_ad.platform_conversions, 0)
            as platform_conversions,
        coalesce(values_per_ad.platform_conversion_value, 0)
            as platform_conversion_value
    from counts_per_ad
    full outer join values_per_ad
        on
            counts_per_ad.ad_id = values_per_ad.ad_id
            and counts_per_ad.report_date = values_per_ad.report_date

)

select * from joined
