{#- One row per DELIVERED email event. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'email_event_delivered'),
            get_hubspot_columns('email_event_delivered')
        ) }}
    from {{ source('hubspot', 'email_event_delivered') }}

),

renamed as (

    select
        -- keys
        id as email_event_id,
        smtp_id,

        -- strings
        response as smtp_response,

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
