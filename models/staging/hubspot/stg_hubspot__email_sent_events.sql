{#- One row per SENT email event, with the sender header (the raw column is
    named `from`, a reserved word, quoted through the adapter). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'email_event_sent'),
            get_hubspot_columns('email_event_sent')
        ) }}
    from {{ source('hubspot', 'email_event_sent') }}

),

renamed as (

    select
        -- keys
        id as email_event_id,

        -- strings
        {{ adapter.quote('from') }} as from_header,
        {{ normalize_email(regexp_extract_group(
            adapter.quote('from'), '<([^>]+)>'
        )) }} as from_email,
        subject as email_subject,
        {{ normalize_email('reply_to') }} as reply_to_email,
        cc as cc_header,
        bcc as bcc_header,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

),

deduplicated as (

    select *
    from renamed
    where true
    qualify row_number() over (
            partition by email_event_id
            order by _loaded_at desc
        ) = 1

)

select * from deduplicated
