{#- One row per BOUNCE email event. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'email_event_bounce'),
            get_hubspot_columns('email_event_bounce')
        ) }}
    from {{ source('hubspot', 'email_event_bounce') }}

),

renamed as (

    select
        -- keys
        id as email_event_id,

        -- strings
        lower(category) as bounce_category,
        status as smtp_status,
        response as smtp_response,

        -- booleans
        coalesce(upper(category) = 'HARD_BOUNCE', false) as is_hard_bounce,

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
