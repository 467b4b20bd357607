{#- One row per Facebook ad, report day and action (link clicks, landing
    page views, pixel leads and deposits, ...) with its counts under
    Facebook's attribution windows. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('facebook_ads', 'basic_ad_actions'),
            get_facebook_ads_columns('basic_ad_actions')
        ) }}
    from {{ source('facebook_ads', 'basic_ad_actions') }}

),

renamed as (

    select
        -- keys
        _fivetran_id as ad_action_id,
        nullif(trim(ad_id), '') as ad_id,
        {{ adapter.quote('index') }} as action_index,

        -- strings
        lower(action_type) as action_type,

        -- numerics: counts are floats (fractional under modelled
        -- attribution); action_count uses the account's default window
        {{ adapter.quote('value') }} as action_count,
        _1_d_view as view_1d_action_count,
        _7_d_click as click_7d_action_count,
        {{ adapter.quote('inline') }} as inline_action_count,

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
                then 'negative count'
        end as quarantine_reason

    from source

)

select * from renamed
