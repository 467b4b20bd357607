{#- One row per Google Ads campaign, account-zone day, network and device
    (the only level with PERFORMANCE_MAX spend besides the account). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('google_ads', 'campaign_stats'),
            get_google_ads_columns('campaign_stats')
        ) }}
    from {{ source('google_ads', 'campaign_stats') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as campaign_id,
        cast(customer_id as {{ dbt.type_string() }}) as account_id,

        -- strings
        lower(ad_network_type) as ad_network_type,
        lower(device) as device,

        -- numerics: money in the account's currency (account_id)
        cost_micros as spend_amount_micros,
        cast(
            cast(cost_micros as {{ type_money() }}) / 1000000
            as {{ type_money() }}
        ) as spend_amount,
        impressions as impression_count,
        clicks as click_count,
        interactions as interaction_count,
        conversions,
        cast(conversions_value as {{ type_money() }})
            as conversion_value_amount,
        view_through_conversions as view_through_conversion_count,

        -- dates: the account's time zone
        {{ adapter.quote('date') }} as report_date,

        -- loader metadata
        _fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when id is null then 'missing campaign id'
            when customer_id is null then 'missing account id'
            when {{ adapter.quote('date') }} is null
                then 'missing report date'
            when
                cost_micros < 0
                or impressions < 0
                or clicks < 0
                or conversions < 0
                then 'negative metric'
        end as quarantine_reason

    from source

)

select * from renamed
