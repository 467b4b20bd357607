{#- One row per Facebook ad, report day and conversion action with a value:
    the conversion value in major units of the account currency (on
    stg_facebook_ads__account_history). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('facebook_ads', 'basic_ad_action_values'),
            get_facebook_ads_columns('basic_ad_action_values')
        ) }}
    from {{ source('facebook_ads', 'basic_ad_action_values') }}

),

renamed as (

    select
        -- keys
        _fivetran_id as ad_action_value_id,
        nullif(trim(ad_id), '') as ad_id,
        {{ adapter.quote('index') }} as action_index,

        -- strings
        lower(action_type) as action_type,

        -- money: major units of the account currency; value_amount uses the
        -- account's default attribution window
        {# the contract's float is single precision on DuckDB: round to the
           cents Facebook reports #}
        round(
            cast({{ adapter.quote('value') }} as {{ type_money() }}), 2
        ) as value_amount,
        round(cast(_1_d_view as {{ type_money() }}), 2)
            as view_1d_value_amount,
        round(cast(_7_d_click as {{ type_money() }}), 2)
            as click_7d_value_amount,

        -- booleans
        coalesce(
            lower(action_type) like 'offsite_conversion.%'
            or lower(action_type) like 'onsite_conversion.%',
            false
        ) as is_conversion,

        -- dates: report day in the account time zone
        {{ adapter.quote('date') }} as report_date,

        -- loader metadata
        _fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when nullif(trim(ad_id), '') is null then 'missing ad id'
            when {{ adapter.quote('date') }} is null then 'missing report date'
            when action_type is null then 'missing action type'
            when
                {{ adapter.quote('value') }} < 0
                or _1_d_view < 0
                or _7_d_click < 0
                then 'negative value'
        end as quarantine_reason

    from source

)

select * from renamed
