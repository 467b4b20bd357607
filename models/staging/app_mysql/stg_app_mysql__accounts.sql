{#- One row per wallet or ledger account (customer or platform). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('app_mysql', 'accounts'),
            get_app_mysql_columns('accounts')
        ) }}
    from {{ source('app_mysql', 'accounts') }}

),

currencies as (

    select currency_code
    from {{ ref('iso_currencies') }}

),

renamed as (

    select
        -- keys
        cast(source.id as {{ dbt.type_string() }}) as account_id,
        source.public_id as account_public_id,
        cast(source.user_id as {{ dbt.type_string() }}) as app_user_id,

        -- strings
        lower(source.owner_type) as owner_type,
        lower(source.account_type) as account_type,
        lower(source.status) as account_status,
        upper(source.currency) as currency_code,

        -- booleans
        lower(source.owner_type) = 'platform' as is_platform_account,
        coalesce(source._fivetran_deleted, false) as _is_source_deleted,

        -- timestamps: naive UTC in MySQL
        source.opened_at,
        source.closed_at,
        source.created_at,
        source.updated_at,

        -- loader metadata
        source._fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when currencies.currency_code is null then 'unknown currency'
            when
                lower(source.owner_type) = 'customer'
                and source.user_id is null
                then 'customer account without user'
            when source.opened_at is null then 'missing opened_at'
            when source.opened_at > source._fivetran_synced
                then 'opened after it was loaded'
            when source.closed_at < source.opened_at
                then 'closed before it was opened'
        end as quarantine_reason

    from source
    left outer join currencies
        on upper(source.currency) = currencies.currency_code

)

select * from renamed
