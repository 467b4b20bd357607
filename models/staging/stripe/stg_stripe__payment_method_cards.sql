{#- One row per card payment method, with its card details. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('stripe', 'payment_method_card'),
            get_stripe_columns('payment_method_card')
        ) }}
    from {{ source('stripe', 'payment_method_card') }}

),

renamed as (

    select
        -- keys
        cast(payment_method_id as {{ dbt.type_string() }})
            as payment_method_id,

        -- strings
        lower(brand) as card_brand,
        upper(country) as card_country_code,
        lower(funding) as card_funding,
        lower(wallet_type) as wallet_type,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

)

select * from renamed
