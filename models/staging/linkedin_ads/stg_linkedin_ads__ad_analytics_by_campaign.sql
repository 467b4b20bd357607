{#- One row per LinkedIn campaign and UTC day. Costs in the account currency
    (on stg_linkedin_ads__account_history) and in USD; conversion values in
    the account currency only. Of the ~50 engagement, video and viral
    columns (mostly NULL) only the ones the marts use are kept. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('linkedin_ads', 'ad_analytics_by_campaign'),
            get_linkedin_ads_columns('ad_analytics_by_campaign')
        ) }}
    from {{ source('linkedin_ads', 'ad_analytics_by_campaign') }}

),

renamed as (

    select
        -- keys
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,

        -- numerics: delivery
        impressions,
        clicks,
        landing_page_clicks,
        total_engagements,

        -- numerics: conversions and lead forms
        external_website_conversions,
        external_website_post_click_conversions,
        external_website_post_view_conversions,
        one_click_leads,
        one_click_lead_form_opens,

        -- money: account currency, and USD
        cast(cost_in_local_currency as {{ type_money() }}) as cost_amount,
        cast(cost_in_usd as {{ type_money() }}) as cost_usd_amount,
        cast(conversion_value_in_local_currency as {{ type_money() }})
            as conversion_value_amount,

        -- dates: day is a timestamp at UTC midnight
        cast({{ adapter.quote('day') }} as date) as report_date,

        -- loader metadata
        _fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when campaign_id is null then 'missing campaign id'
            when {{ adapter.quote('day') }} is null then 'missing day'
            when
                {{ adapter.quote('day') }}
                != {{ dbt.date_trunc('day', adapter.quote('day')) }}
                then 'day not at utc midnight'
            when cost_in_local_currency < 0 or cost_in_usd < 0
                then 'negative cost'
            when
                impressions < 0
                or clicks < 0
                or landing_page_clicks < 0
                or external_website_conversions < 0
                then 'negative count'
            when landing_page_clicks > clicks
                then 'landing page clicks above clicks'
        end as quarantine_reason

    from source

)

select * from renamed
