{#- One row per money movement (transaction header), as of its last change,
    its amount in minor and major units of its currency (ISO exponent).
    Idempotency retries and reversals are flagged, never dropped. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('app_mysql', 'transactions'),
            get_app_mysql_columns('transactions')
        ) }}
    from {{ source('app_mysql', 'transactions') }}

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
        cast(source.id as {{ dbt.type_string() }}) as transaction_id,
        source.public_id as transaction_public_id,
        cast(source.user_id as {{ dbt.type_string() }}) as app_user_id,
        cast(source.investment_id as {{ dbt.type_string() }})
            as investment_id,
        cast(source.reverses_transaction_id as {{ dbt.type_string() }})
            as reverses_transaction_id,
        nullif(trim(source.external_id), '') as external_id,
        source.idempotency_key,

        -- strings
        lower(source.type) as transaction_type,
        lower(source.status) as transaction_status,
        lower(source.external_provider) as external_provider,
        upper(source.currency) as currency_code,

        -- numerics: amount in minor and major units
        {# minor_to_major divides decimals, a double on DuckDB: cast back #}
        source.amount_minor,
        cast(
            {{ minor_to_major(
                'source.amount_minor', 'currencies.iso_exponent'
            ) }} as {{ type_money() }}
        ) as amount,

        -- booleans
        {# a retry is every row of an idempotency key after the first #}
        coalesce(
            source.idempotency_key is not null
            and row_number() over (
                partition by source.idempotency_key
                order by source.requested_at, source.created_at, source.id
            ) > 1,
            false
        ) as is_retry,
        lower(source.type) = 'reversal' as is_reversal,
        lower(source.status) = 'reversed' as is_reversed,
        {# pending for over 30 days as of the table's latest sync #}
        coalesce(
            lower(source.status) = 'pending'
            and source.requested_at < {{ timestamp_add(
                'day', -30, 'max(source._fivetran_synced) over ()'
            ) }},
            false
        ) as is_pending_overdue,
        {# a batch job changed the status without bumping updated_at #}
        coalesce(source.updated_at < source.completed_at, false)
            as has_stale_updated_at,
        coalesce(source._fivetran_deleted, false) as _is_source_deleted,

        -- timestamps: naive UTC in MySQL
        source.requested_at,
        source.completed_at,
        source.created_at,
        source.updated_at,

        -- loader metadata
        source._fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when currencies.currency_code is null then 'unknown currency'
            when source.amount_minor is null then 'missing amount'
            when source.amount_minor <= 0 then 'non-positive amount'
            when source.requested_at is null then 'missing requested_at'
            when source.requested_at > source._fivetran_synced
                then 'requested after it was loaded'
            when source.completed_at < source.requested_at
                then 'completed before it was requested'
        end as quarantine_reason

    from source
    left outer join currencies
        on upper(source.currency) = currencies.currency_code

)

select * from renamed
