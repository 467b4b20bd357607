{#- One row per attachment of a Help Scout thread, from the thread's latest
    extraction in the subtable. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('helpscout', 'conversation_threads__attachments'),
            get_helpscout_columns('conversation_threads__attachments')
        ) }}
    from {{ source('helpscout', 'conversation_threads__attachments') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as attachment_id,
        cast(_sdc_source_key_id as {{ dbt.type_string() }}) as thread_id,

        -- strings
        lower(mime_type) as mime_type,

        -- personal data (stays in staging): file names can name the person
        filename as file_name,

        -- numerics
        size as file_size_bytes,
        _sdc_level_0_id as attachment_position,

        -- loader metadata
        _sdc_sequence,
        _sdc_batched_at as _loaded_at

    from source

),

current_version as (

    {# child rows carry their parent version's _sdc_sequence: keep the
       rows of the latest extraction of each thread #}
    select *
    from renamed
    where true
    qualify
        _sdc_sequence = max(_sdc_sequence) over (
            partition by thread_id
        )

)

select * from current_version
