{#- One row per DEFERRED email event (a delivery attempt to retry). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'email_event_deferred'),
            get_hubspot_columns('email_event_deferred')
        ) }}
    from {{ source('hubspot', 'email_event_deferred') }}

),

renamed as (

    select
        -- keys
        id as email_event_id,

        -- strings
        response as smtp_response,

        -- numerics
        attempt as attempt_number,

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
