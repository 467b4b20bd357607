{#- One row per SPAMREPORT email event. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'email_event_spam_report'),
            get_hubspot_columns('email_event_spam_report')
        ) }}
    from {{ source('hubspot', 'email_event_spam_report') }}

),

renamed as (

    select
        -- keys
        id as email_event_id,

        -- personal data (network address)
        ip_address,

        -- strings
        user_agent,

        -- booleans
        coalesce(
            user_agent like '%ImageProxy%'
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
