{#- One row per HubSpot email send: a SENT event, i.e. one recipient of one
    marketing email (campaign). HubSpot gives every later event of the send
    (processed, dropped, delivered, deferred, bounce, open, click,
    statuschange, spamreport ...) the SENT event's id as sent_by_id, so the
    send key is sent_by_id and every event rolls up to it; sent_at is the
    SENT event's time (sent_by_created, on every event). Rules:
    - machine open: an open at most 2 s after the send's delivery (staging's
      is_machine_open), or from a proxy user agent (Apple Mail privacy
      proxy, Google/Yahoo image proxies, link scanners: staging's
      is_proxy_user_agent), or filtered by HubSpot. In the data every
      proxy open comes within 2 s of delivery and every other open after
      90 s or more, so the three signals agree;
    - a click is a human click unless staging flags it as a bot click
      (filtered by HubSpot, or within 10 s of delivery);
    - an unsubscribe is a STATUSCHANGE to unsubscribed that a bounce or a
      spam report did not cause (those are counted as bounces and spam
      reports);
    - bounce category and drop reason are the latest event's.
    Erased people are left out by the inner join to
    int_email__recipients_matched (which drops their email hashes, user
    ids and contact ids); no address, IP or user agent is carried. -#}
with

email_events as (

    select
        email_event_id,
        sent_by_id,
        caused_by_id,
        email_campaign_id,
        recipient_hash,
        event_type,
        is_filtered,
        is_machine_open,
        is_bot_click,
        created_at,
        sent_at
    from {{ ref('stg_hubspot__email_events') }}
    where sent_by_id is not null

),

open_events as (

    select
        email_event_id,
        is_proxy_user_agent
    from {{ ref('stg_hubspot__email_open_events') }}

),

bounce_events as (

    select
        email_event_id,
        bounce_category,
        is_hard_bounce
    from {{ ref('stg_hubspot__email_bounce_events') }}

),

dropped_events as (

    select
        email_event_id,
        drop_reason
    from {{ ref('stg_hubspot__email_dropped_events') }}

),

status_change_events as (

    select
        email_event_id,
        change_source,
        subscription_status,
        is_bounced
    from {{ ref('stg_hubspot__email_status_change_events') }}

),

campaigns as (

    select
        email_campaign_id,
        campaign_name,
        campaign_type
    from {{ ref('stg_hubspot__email_campaigns') }}

),

recipients as (

    select
        recipient_hash,
        user_id,
        hubspot_contact_id,
        match_method
    from {{ ref('int_email__recipients_matched') }}

),

classified as (

    select
        email_events.*,
        bounce_events.bounce_category,
        bounce_events.is_hard_bounce,
        dropped_events.drop_reason,
        coalesce(
            email_events.event_type = 'open'
            and (
                email_events.is_machine_open
                or open_events.is_proxy_user_agent
                or email_events.is_filtered
            ),
            false
        ) as is_machine_open_event,
        coalesce(
            email_events.event_type = 'click'
            and not email_events.is_bot_click,
            false
        ) as is_human_click_event,
        coalesce(
            email_events.event_type = 'statuschange'
            and status_change_events.subscription_status = 'unsubscribed'
            and email_events.caused_by_id is null
            and not status_change_events.is_bounced
            and coalesce(
                status_change_events.change_source
                not in ('source_bounce', 'source_spam_report'),
                true
            ),
            false
        ) as is_unsubscribe_event
    from email_events
    left outer join open_events
        on email_events.email_event_id = open_events.email_event_id
    left outer join bounce_events
        on email_events.email_event_id = bounce_events.email_event_id
    left outer join dropped_events
        on email_events.email_event_id = dropped_events.email_event_id
    left outer join status_change_events
        on email_events.email_event_id = status_change_events.email_event_id

),

latest_bounces as (

    select
        sent_by_id,
        bounce_category,
        is_hard_bounce
    from classified
    where event_type = 'bounce'
    qualify row_number() over (
            partition by sent_by_id
            order by created_at desc, email_event_id desc
        ) = 1

),

latest_drops as (

    select
        sent_by_id,
        drop_reason
    from classified
    where event_type = 'dropped'
    qualify row_number() over (
            partition by sent_by_id
            order by created_at desc, email_event_id desc
        ) = 1

),

aggregated as (

    select
        sent_by_id as send_id,
        max(email_campaign_id) as email_campaign_id,
        max(recipient_hash) as recipient_hash,
        min(sent_at) as sent_at,
        max(case when event_type = 'sent' then 1 else 0 end) = 1
            as has_sent_event,
        min(case when event_type = 'delivered' then created_at end)
            as delivered_at,
        min(case when event_type = 'dropped' then created_at end)
            as dropped_at,
        min(case when event_type = 'bounce' then created_at end)
            as bounced_at,
        min(case when event_type = 'open' then created_at end)
            as first_opened_at,
        min(
            case
                when event_type = 'open' and not is_machine_open_event
                    then created_at
            end
        ) as first_human_opened_at,
        min(case when is_human_click_event then created_at end)
            as first_clicked_at,
        min(case when is_unsubscribe_event then created_at end)
            as unsubscribed_at,
        min(case when event_type = 'spamreport' then created_at end)
            as spam_reported_at,
        sum(case when event_type = 'open' then 1 else 0 end) as open_count,
        sum(case when is_machine_open_event then 1 else 0 end)
            as machine_open_count,
        sum(case when is_human_click_event then 1 else 0 end)
            as click_count,
        sum(
            case
                when event_type = 'click' and not is_human_click_event
                    then 1
                else 0
            end
        ) as bot_click_count,
        sum(case when event_type = 'deferred' then 1 else 0 end)
            as deferred_count
    from classified
    group by 1

),

final as (

    select
        aggregated.send_id,
        aggregated.email_campaign_id,
        campaigns.campaign_name,
        campaigns.campaign_type,
        aggregated.recipient_hash,
        recipients.user_id,
        recipients.hubspot_contact_id,
        recipients.match_method as recipient_match_method,
        latest_drops.drop_reason,
        latest_bounces.bounce_category,
        aggregated.open_count,
        aggregated.machine_open_count,
        aggregated.open_count - aggregated.machine_open_count
            as human_open_count,
        aggregated.click_count,
        aggregated.bot_click_count,
        aggregated.deferred_count,
        aggregated.has_sent_event,
        aggregated.delivered_at is not null as is_delivered,
        aggregated.dropped_at is not null as is_dropped,
        aggregated.bounced_at is not null as is_bounced,
        coalesce(latest_bounces.is_hard_bounce, false) as is_hard_bounce,
        aggregated.open_count > 0 as is_opened,
        aggregated.open_count > aggregated.machine_open_count
            as is_human_opened,
        aggregated.open_count > 0
        and aggregated.open_count = aggregated.machine_open_count
            as is_machine_open,
        aggregated.click_count > 0 as is_clicked,
        aggregated.unsubscribed_at is not null as is_unsubscribed,
        aggregated.spam_reported_at is not null as is_spam_reported,
        aggregated.sent_at,
        aggregated.delivered_at,
        aggregated.dropped_at,
        aggregated.bounced_at,
        aggregated.first_opened_at,
        aggregated.first_human_opened_at,
        aggregated.first_clicked_at,
        aggregated.unsubscribed_at,
        aggregated.spam_reported_at
    from aggregated
    inner join recipients
        on aggregated.recipient_hash = recipients.recipient_hash
    left outer join campaigns
        on aggregated.email_campaign_id = campaigns.email_campaign_id
    left outer join latest_bounces
        on aggregated.send_id = latest_bounces.sent_by_id
    left outer join latest_drops
        on aggregated.send_id = latest_drops.sent_by_id

)

select * from final
