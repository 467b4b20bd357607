{#- One row per DROPPED email event (suppressed before sending). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'email_event_dropped'),
            get_hubspot_columns('email_event_dropped')
        ) }}
    from {{ source('hubspot', 'email_event_dropped') }}

),

renamed as (

    select
        -- keys
        id as email_event_id,

        -- strings
        lower(drop_reason) as drop_reason,
        drop_message,

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
