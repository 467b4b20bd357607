{#- One row per Help Scout mailbox, from the latest nightly full-table
    sync. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('helpscout', 'mailboxes'),
            get_helpscout_columns('mailboxes')
        ) }}
    from {{ source('helpscout', 'mailboxes') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as mailbox_id,

        -- strings
        name as mailbox_name,
        lower(slug) as mailbox_slug,
        {{ normalize_email('email') }} as mailbox_email,

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
       versions were not returned by the latest sync #}
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
            partition by mailbox_id
            order by _sdc_sequence desc, _loaded_at desc
        ) = 1

)

select * from deduplicated
