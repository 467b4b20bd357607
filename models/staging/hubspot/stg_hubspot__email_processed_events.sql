{#- One row per PROCESSED email event (the send accepted for delivery). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'email_event_processed'),
            get_hubspot_columns('email_event_processed')
        ) }}
    from {{ source('hubspot', 'email_event_processed') }}

),

renamed as (

    select
        -- keys
        id as email_event_id,

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
