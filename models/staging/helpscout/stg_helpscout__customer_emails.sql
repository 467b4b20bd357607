{#- One row per email address of a Help Scout customer (all of them: the app
    email is not always the first), normalised and hashed. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('helpscout', 'customers__emails'),
            get_helpscout_columns('customers__emails')
        ) }}
    from {{ source('helpscout', 'customers__emails') }}

),

renamed as (

    select
        -- keys
        cast(_sdc_source_key_id as {{ dbt.type_string() }}) as customer_id,
        cast(id as {{ dbt.type_string() }}) as customer_email_id,

        -- strings
        lower(type) as email_type,

        -- personal data (stays in staging)
        {{ normalize_email('value') }} as email,
        {{ hash_key(normalize_email('value')) }} as email_hash,

        -- numerics
        _sdc_level_0_id as email_position,

        -- booleans
        coalesce(_sdc_level_0_id = 0, false) as is_primary,

        -- loader metadata
        _sdc_sequence,
        _sdc_batched_at as _loaded_at

    from source

),

current_version as (

    {# child rows carry their parent version's _sdc_sequence: keep the
       rows of the latest version of each customer #}
    select *
    from renamed
    where true
    qualify
        _sdc_sequence = max(_sdc_sequence) over (
            partition by customer_id
        )

)

select * from current_version
