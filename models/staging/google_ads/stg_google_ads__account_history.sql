{#- One row per version of a Google Ads account (customer), the latest
    flagged by updated_at then sync time (never by _fivetran_active). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('google_ads', 'account_history'),
            get_google_ads_columns('account_history')
        ) }}
    from {{ source('google_ads', 'account_history') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as account_id,

        -- strings
        nullif(trim(descriptive_name), '') as account_name,
        upper(trim(currency_code)) as currency_code,
        nullif(trim(time_zone), '') as time_zone,

        -- booleans
        coalesce(auto_tagging_enabled, false) as is_auto_tagging_enabled,
        coalesce(test_account, false) as is_test_account,
        coalesce(manager, false) as is_manager_account,

        -- timestamps (UTC)
        updated_at,

        -- loader metadata
        _fivetran_active as _is_source_active,
        _fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when id is null then 'missing account id'
            when updated_at is null then 'missing updated_at'
            when
                {{ regexp_extract_group(
                    'upper(trim(currency_code))', '^([A-Z]{3})$'
                ) }} is null
                then 'invalid currency code'
        end as quarantine_reason

    from source

),

versioned as (

    select
        *,
        {# ties on updated_at and sync time: the loader flag breaks them
           only then, the name makes the order deterministic #}
        row_number() over (
            partition by account_id
            order by
                updated_at asc nulls first,
                _loaded_at asc nulls first,
                _is_source_active asc nulls first,
                account_name asc nulls first
        ) as version_number,
        row_number() over (
            partition by account_id
            order by
                updated_at desc nulls last,
                _loaded_at desc nulls last,
                _is_source_active desc nulls last,
                account_name desc nulls last
        ) = 1 as is_most_recent_record
    from renamed

)

select * from versioned
