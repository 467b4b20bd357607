{#- One row per 'Invested' track() call (invested table), deduplicated, with
    its properties typed. -#}
with

unioned as (

    {{ union_segment_sources('invested') }}

),

iso_currencies as (

    select
        currency_code,
        iso_exponent
    from {{ ref('iso_currencies') }}

),

renamed as (

    select
        -- keys
        {{ segment_key_columns() }},

        -- event
        event as event_name,
        event_text,

        -- strings
        product_id,
        upper(trim(currency)) as currency_code,

        -- numerics
        amount as investment_amount,

        -- booleans
        is_auto_invest,

        -- timestamps and loader metadata
        {{ segment_time_columns() }}

    from unioned

),

currencies_joined as (

    select
        renamed.*,
        case
            when renamed.investment_amount < 0 then 'negative amount'
            when renamed.investment_amount is not null
                and renamed.currency_code is null
                then 'missing currency'
            when renamed.currency_code is not null
                and iso_currencies.currency_code is null
                then 'unknown currency'
        end as quarantine_reason
    from renamed
    left outer join iso_currencies
        on renamed.currency_code = iso_currencies.currency_code

),

deduplicated as (

    select
        *,
        {{ segment_message_flags() }}
    from currencies_joined
    where true
    qualify {{ segment_first_received() }}

)

select * from deduplicated
