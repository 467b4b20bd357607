{#- One row per OPEN email event, with the client that opened it. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'email_event_open'),
            get_hubspot_columns('email_event_open')
        ) }}
    from {{ source('hubspot', 'email_event_open') }}

),

renamed as (

    select
        -- keys
        id as email_event_id,

        -- personal data (network address)
        ip_address,

        -- strings
        user_agent,
        {{ json_extract_string('browser', '$.name') }} as browser_name,
        {{ json_extract_string('browser', '$.producer') }} as browser_producer,
        {{ json_extract_string('browser', '$.type') }} as browser_type,
        {{ json_extract_string('location', '$.country') }} as location_country,
        nullif({{ json_extract_string('location', '$.city') }}, '')
            as location_city,

        -- numerics
        duration / 1000.0 as open_duration_seconds,

        -- booleans
        coalesce(
            lower({{ json_extract_string('browser', '$.type') }}) = 'proxy'
            or user_agent like '%ImageProxy%'
            or user_agent like '%MailProxy%'
            or user_agent like '%LinkScanner%'
            or user_agent like 'Barracuda%'
            or user_agent = 'Mozilla/5.0',
            false
        ) as is_proxy_user_agent,

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
