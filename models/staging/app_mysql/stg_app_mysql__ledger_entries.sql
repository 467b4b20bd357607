{#- One row per double-entry ledger line, its amount in minor and major
    units of its currency (ISO exponent), split into debit and credit. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('app_mysql', 'ledger_entries'),
            get_app_mysql_columns('ledger_entries')
        ) }}
    from {{ source('app_mysql', 'ledger_entries') }}

),

currencies as (

    select
        currency_code,
        iso_exponent
    from {{ ref('iso_currencies') }}

),

renamed as (

    select
        -- keys
        cast(source.id as {{ dbt.type_string() }}) as ledger_entry_id,
        cast(source.transaction_id as {{ dbt.type_string() }})
            as transaction_id,
        cast(source.account_id as {{ dbt.type_string() }}) as account_id,

        -- strings
        lower(source.direction) as entry_direction,
        upper(source.currency) as currency_code,

        -- numerics: amount in minor and major units, by side
        {# minor_to_major divides decimals, a double on DuckDB: cast back #}
        source.amount_minor,
        cast(
            {{ minor_to_major(
                'source.amount_minor', 'currencies.iso_exponent'
            ) }} as {{ type_money() }}
        ) as amount,
        case
            when lower(source.direction) = 'debit' then source.amount_minor
            else 0
        end as debit_amount_minor,
        case
            when lower(source.direction) = 'credit' then source.amount_minor
            else 0
        end as credit_amount_minor,

        -- booleans
        coalesce(source._fivetran_deleted, false) as _is_source_deleted,

        -- timestamps: posted_at a naive UTC DATETIME, created_at a
        -- TIMESTAMP (both UTC instants after the contract's cast)
        source.posted_at,
        source.created_at,

        -- loader metadata
        source._fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when currencies.currency_code is null then 'unknown currency'
            when source.amount_minor is null then 'missing amount'
            when source.amount_minor <= 0 then 'non-positive amount'
            when
                source.direction is null
                or lower(source.direction) not in ('debit', 'credit')
                then 'unknown direction'
            when source.posted_at is null then 'missing posted_at'
            when source.posted_at > source._fivetran_synced
                then 'posted after it was loaded'
        end as quarantine_reason

    from source
    left outer join currencies
        on upper(source.currency) = currencies.currency_code

)

select * from renamed
