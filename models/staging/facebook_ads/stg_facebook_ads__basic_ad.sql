{#- One row per Facebook ad and report day (account time zone), from the
    pre-built basic_ad report. Spend is in major units of the account
    currency (on stg_facebook_ads__account_history). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('facebook_ads', 'basic_ad'),
            get_facebook_ads_columns('basic_ad')
        ) }}
    from {{ source('facebook_ads', 'basic_ad') }}

),

renamed as (

    select
        -- keys: the string ad_id of the report joins ad_history's integer id
        -- once both are strings
        nullif(trim(ad_id), '') as ad_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,

        -- strings
        nullif(trim(ad_name), '') as ad_name,
        nullif(trim(adset_name), '') as ad_set_name,

        -- numerics
        impressions,
        inline_link_clicks,
        reach,
        frequency,

        -- money: major units of the account currency, reported in cents
        {# the contract's float is single precision on DuckDB (2.61 reads
           2.609999895): round to the cents Facebook reports #}
        round(cast(spend as {{ type_money() }}), 2) as spend_amount,

        -- dates: report day in the account time zone
        {{ adapter.quote('date') }} as report_date,

        -- loader metadata
        _fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when nullif(trim(ad_id), '') is null then 'missing ad id'
            when {{ adapter.quote('date') }} is null then 'missing report date'
            when spend < 0 then 'negative spend'
            when impressions < 0 or inline_link_clicks < 0 or reach < 0
                then 'negative count'
            when inline_link_clicks > impressions
                then 'link clicks above impressions'
        end as quarantine_reason

    from source

)

select * from renamed
