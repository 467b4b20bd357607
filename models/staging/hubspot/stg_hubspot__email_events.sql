{#- One row per email event (SENT, PROCESSED, DELIVERED, OPEN, CLICK, ...),
    deduplicated on its id. Machine opens and bot clicks are flagged here
    from the delivery time of the same send (a window over sent_by_id, no
    join). Staging joins no other model: the marketing intermediate models
    join each event to its send (sent_by_id), its campaign
    (email_campaign_id), the event that caused it (caused_by_id) and the
    contact, by contact id through the send, never by email address. -#}
{%- set machine_open_max_seconds = 2 -%}
{%- set bot_click_max_seconds = 10 -%}

with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'email_event'),
            get_hubspot_columns('email_event')
        ) }}
    from {{ source('hubspot', 'email_event') }}

),

renamed as (

    select
        -- keys
        id as email_event_id,
        cast(email_campaign_id as {{ dbt.type_string() }})
            as email_campaign_id,
        sent_by_id,
        caused_by_id,
        obsoleted_by_id,
        cast(portal_id as {{ dbt.type_string() }}) as portal_id,
        cast(app_id as {{ dbt.type_string() }}) as app_id,

        -- personal data (stays in staging)
        {{ normalize_email('recipient') }} as recipient,
        {{ hash_key(normalize_email('recipient')) }} as recipient_hash,

        -- strings
        lower({{ adapter.quote('type') }}) as event_type,

        -- booleans
        coalesce(filtered_event, false) as is_filtered,

        -- timestamps (UTC)
        created as created_at,
        sent_by_created as sent_at,

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

),

with_delivery as (

    select
        *,
        min(
            case when event_type = 'delivered' then created_at end
        ) over (partition by sent_by_id) as delivered_at
    from deduplicated

),

flagged as (

    select
        *,
        {{ timestamp_seconds_between('delivered_at', 'created_at') }}
            as seconds_after_delivery,
        coalesce(
            event_type = 'open'
            and {{ timestamp_seconds_between('delivered_at', 'created_at') }}
            <= {{ machine_open_max_seconds }},
            false
        ) as is_machine_open,
        coalesce(
            event_type = 'click'
            and (
                is_filtered
                or {{ timestamp_seconds_between('delivered_at', 'created_at') }}
                <= {{ bot_click_max_seconds }}
            ),
            false
        ) as is_bot_click,
        obsoleted_by_id is not null as is_obsoleted
    from with_delivery

)

select * from flagged
