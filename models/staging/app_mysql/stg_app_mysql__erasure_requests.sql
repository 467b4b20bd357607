{#- One row per GDPR erasure request (the issue's "privacy" source). No row
    is ever quarantined: an erasure must be honoured even when its data is
    odd, so odd rows are only flagged. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('app_mysql', 'erasure_requests'),
            get_app_mysql_columns('erasure_requests')
        ) }}
    from {{ source('app_mysql', 'erasure_requests') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as erasure_request_id,
        cast(user_id as {{ dbt.type_string() }}) as app_user_id,

        -- strings
        lower(scope) as erasure_scope,
        lower(status) as erasure_status,

        -- booleans
        lower(scope) = 'full' as is_full_erasure,
        lower(status) = 'completed' as is_completed,
        coalesce(completed_at < requested_at, false)
            as has_inconsistent_timestamps,
        coalesce(_fivetran_deleted, false) as _is_source_deleted,

        -- timestamps: naive UTC in MySQL
        requested_at,
        completed_at,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

)

select * from renamed
