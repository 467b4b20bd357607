{#- One row per tag of a Help Scout conversation, from the conversation's
    latest version in the subtable: tag rows of a superseded version
    (orphans) are dropped. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('helpscout', 'conversations__tags'),
            get_helpscout_columns('conversations__tags')
        ) }}
    from {{ source('helpscout', 'conversations__tags') }}

),

renamed as (

    select
        -- keys
        cast(_sdc_source_key_id as {{ dbt.type_string() }})
            as conversation_id,
        cast(id as {{ dbt.type_string() }}) as tag_id,

        -- strings
        lower(trim(tag)) as tag_name,
        lower(color) as tag_color,

        -- numerics
        _sdc_level_0_id as tag_position,

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
