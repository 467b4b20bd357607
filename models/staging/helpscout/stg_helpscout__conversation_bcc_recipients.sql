{#- One row per BCC address of a Help Scout conversation, from the
    conversation's latest version in the subtable. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('helpscout', 'conversations__bcc'),
            get_helpscout_columns('conversations__bcc')
        ) }}
    from {{ source('helpscout', 'conversations__bcc') }}

),

renamed as (

    select
        -- keys
        cast(_sdc_source_key_id as {{ dbt.type_string() }})
            as conversation_id,

        -- personal data (stays in staging)
        {{ normalize_email('value') }} as email,
        {{ hash_key(normalize_email('value')) }} as email_hash,

        -- numerics
        _sdc_level_0_id as recipient_position,

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
