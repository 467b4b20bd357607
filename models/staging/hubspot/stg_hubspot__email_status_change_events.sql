{#- One row per STATUSCHANGE email event: an unsubscribe, a spam report or
    a bounce changing the recipient's subscription status. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'email_event_status_change'),
            get_hubspot_columns('email_event_status_change')
        ) }}
    from {{ source('hubspot', 'email_event_status_change') }}

),

renamed as (

    select
        -- keys
        id as email_event_id,

        -- personal data (stays in staging)
        {{ normalize_email('requested_by') }} as requested_by_email,

        -- strings
        lower(source) as change_source,
        subscriptions as subscriptions_json,
        lower({{ json_extract_string('subscriptions', '$[0].status') }})
            as subscription_status,

        -- booleans
        coalesce(bounced, false) as is_bounced,

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
