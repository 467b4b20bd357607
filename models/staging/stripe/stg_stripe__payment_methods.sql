{#- One row per Stripe payment method (card); guest cards have no
    customer. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('stripe', 'payment_method'),
            get_stripe_columns('payment_method')
        ) }}
    from {{ source('stripe', 'payment_method') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as payment_method_id,
        customer_id,

        -- strings
        lower(type) as payment_method_type,

        -- booleans
        livemode as is_livemode,

        -- timestamps (UTC)
        created as created_at,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

)

select * from renamed
