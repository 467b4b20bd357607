{#- One row per HubSpot owner (sales and customer-success staff). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'owner'),
            get_hubspot_columns('owner')
        ) }}
    from {{ source('hubspot', 'owner') }}

),

renamed as (

    select
        -- keys
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        cast(active_user_id as {{ dbt.type_string() }}) as hubspot_user_id,

        -- personal data (staff)
        {{ normalize_email('email') }} as email,
        {{ hash_key(normalize_email('email')) }} as email_hash,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,

        -- strings
        lower({{ adapter.quote('type') }}) as owner_type,

        -- timestamps (UTC)
        created_at,
        updated_at,

        -- loader metadata
        _fivetran_synced as _loaded_at,
        coalesce(_fivetran_deleted, false) as _is_source_deleted

    from source

),

live as (

    select *
    from renamed
    where not _is_source_deleted

)

select * from live
