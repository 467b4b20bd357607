{#- One row per custom field (Product, Priority) of a Help Scout
    conversation, from the conversation's latest version in the subtable. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('helpscout', 'conversations__custom_fields'),
            get_helpscout_columns('conversations__custom_fields')
        ) }}
    from {{ source('helpscout', 'conversations__custom_fields') }}

),

renamed as (

    select
        -- keys
        cast(_sdc_source_key_id as {{ dbt.type_string() }})
            as conversation_id,
        cast(id as {{ dbt.type_string() }}) as custom_field_id,
        cast(value as {{ dbt.type_string() }}) as field_option_id,

        -- strings
        name as custom_field_name,
        nullif(trim(text), '') as field_value,

        -- numerics
        _sdc_level_0_id as field_position,

        -- loader metadata
        _sdc_sequence,
        _sdc_batched_at as _loaded_at

    from source

),

current_version as (

    {# child rows carry their parent version's _sdc_sequence: keep the
       rows of the latest version of each conversation #}
    select *
    from renamed
    where true
    qualify
        _sdc_sequence = max(_sdc_sequence) over (
            partition by conversation_id
        )

)

select * from current_version
