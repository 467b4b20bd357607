{#- One row per Help Scout support agent (the raw `users` table: staff, not
    app users), from the latest nightly full-table sync. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('helpscout', 'users'),
            get_helpscout_columns('users')
        ) }}
    from {{ source('helpscout', 'users') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as agent_id,

        -- strings
        lower(role) as agent_role,
        timezone as agent_timezone,
        lower(type) as agent_type,

        -- personal data (stays in staging)
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        {{ normalize_email('email') }} as email,
        {{ hash_key(normalize_email('email')) }} as email_hash,

        -- timestamps
        created_at,
        updated_at,

        -- loader metadata
        _sdc_table_version,
        _sdc_sequence,
        _sdc_batched_at as _loaded_at

    from source

),

latest_sync as (

    {# a full-table sync writes a new _sdc_table_version: rows of older
       versions are agents the latest sync no longer returned #}
    select *
    from renamed
    where true
    qualify
        coalesce(_sdc_table_version, -1)
        = max(coalesce(_sdc_table_version, -1)) over ()

),

deduplicated as (

    select *
    from latest_sync
    where true
    qualify
        row_number() over (
            partition by agent_id
            order by _sdc_sequence desc, _loaded_at desc
        ) = 1

)

select * from deduplicated
