{#- One row per 'Deposit Initiated' track() call (deposit_initiated table),
    deduplicated, with its properties typed. -#}
with

unioned as (

    {{ union_segment_sources('deposit_initiated') }}

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
        upper(trim(currency)) as currency_code,
        method as deposit_method,

        -- numerics
        {{ dbt.safe_cast('amount', dbt.type_float()) }} as deposit_amount,
        case
            when {{ dbt.safe_cast('amount', dbt.type_float()) }} is null
                then cast(amount as {{ dbt.type_string() }})
        end as deposit_amount_raw,

        -- timestamps and loader metadata
        {{ segment_time_columns() }}

    from unioned

),

currencies_joined as (

    select
        renamed.*,
        case
            when renamed.deposit_amount_raw is not null
                then 'unparseable amount'
            when renamed.deposit_amount < 0 then 'negative amount'
            when renamed.deposit_amount is not null
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
