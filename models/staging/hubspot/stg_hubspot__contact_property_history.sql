{#- One row per contact x property x version (change timestamp and value),
    with the current version flagged. Identical re-deliveries are collapsed;
    two versions with the same timestamp are ordered by load time, then by
    value, so exactly one is current. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'contact_property_history'),
            get_hubspot_columns('contact_property_history')
        ) }}
    from {{ source('hubspot', 'contact_property_history') }}

),

renamed as (

    select
        -- keys
        cast(contact_id as {{ dbt.type_string() }}) as contact_id,
        name as property_name,

        -- strings
        {{ adapter.quote('value') }} as property_value,
        lower(source) as change_source,
        source_id as change_source_id,

        -- timestamps (UTC)
        {{ adapter.quote('timestamp') }} as changed_at,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

),

deduplicated as (

    select *
    from renamed
    where true
    qualify row_number() over (
            partition by contact_id, property_name, changed_at, property_value
            order by _loaded_at asc
        ) = 1

),

flagged as (

    select
        *,
        row_number() over (
            partition by contact_id, property_name
            order by changed_at desc, _loaded_at desc, property_value desc
        ) = 1 as is_most_recent_record
    from deduplicated

)

select * from flagged
