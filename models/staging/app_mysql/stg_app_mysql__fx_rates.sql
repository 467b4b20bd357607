{#- One row per business day and currency pair: the daily GBP-based rates
    (the issue's "FX" source). Weekends and bank holidays have no row and
    are NOT filled here: the intermediate layer forward-fills them. A rate
    republished for the same day and pair keeps only its latest version. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('app_mysql', 'fx_rates'),
            get_app_mysql_columns('fx_rates')
        ) }}
    from {{ source('app_mysql', 'fx_rates') }}

),

currencies as (

    select currency_code
    from {{ ref('iso_currencies') }}

),

renamed as (

    select
        -- keys
        cast(source.id as {{ dbt.type_string() }}) as fx_rate_id,
        upper(source.base_currency) as base_currency_code,
        upper(source.quote_currency) as quote_currency_code,

        -- strings
        lower(source.source) as rate_provider,

        -- numerics: units of the quote currency per one base unit
        cast(source.rate as {{ type_money() }}) as exchange_rate,

        -- booleans
        coalesce(source._fivetran_deleted, false) as _is_source_deleted,

        -- dates
        source.rate_date,

        -- timestamps: naive UTC in MySQL
        source.created_at,

        -- loader metadata
        source._fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when base_currencies.currency_code is null
                then 'unknown base currency'
            when quote_currencies.currency_code is null
                then 'unknown quote currency'
            when source.rate_date is null then 'missing rate_date'
            when source.rate is null then 'missing rate'
            when source.rate <= 0 then 'non-positive rate'
        end as quarantine_reason

    from source
    left outer join currencies as base_currencies
        on upper(source.base_currency) = base_currencies.currency_code
    left outer join currencies as quote_currencies
        on upper(source.quote_currency) = quote_currencies.currency_code

),

deduplicated as (

    select *
    from renamed
    where true
    qualify
        row_number() over (
            partition by rate_date, base_currency_code, quote_currency_code
            order by created_at desc, _loaded_at desc, fx_rate_id desc
        ) = 1

)

select * from deduplicated
