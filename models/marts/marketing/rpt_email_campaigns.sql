{#- One row per HubSpot marketing email (campaign), including campaigns
    with no send yet, with the funnel of its sends from fct_email_sends
    (erased people's sends are not counted). Counts are of sends (unique
    recipients), not of events. HubSpot's "sent" leaves dropped sends out,
    so sent_count = send_count - dropped_count, and the delivery and bounce
    rates divide by it. The open rate divides human opens (machine opens
    left out) by deliveries; click-to-open divides human clicks by human
    opens. A rate whose denominator is 0 is NULL, not 0. -#}
with

campaigns as (

    select
        email_campaign_id,
        campaign_name,
        campaign_type,
        included_count
    from {{ ref('stg_hubspot__email_campaigns') }}

),

sends as (

    select * from {{ ref('fct_email_sends') }}

),

sends_counted as (

    select
        email_campaign_id,
        count(*) as send_count,
        sum(case when is_dropped then 1 else 0 end) as dropped_count,
        sum(case when is_delivered then 1 else 0 end) as delivered_count,
        sum(case when is_bounced then 1 else 0 end) as bounced_count,
        sum(case when is_hard_bounce then 1 else 0 end) as hard_bounced_count,
        sum(case when is_opened then 1 else 0 end) as opened_count,
        sum(case when is_human_opened then 1 else 0 end)
            as human_opened_count,
        sum(case when is_machine_open then 1 else 0 end)
            as machine_only_opened_count,
        sum(case when is_clicked then 1 else 0 end) as clicked_count,
        sum(case when is_unsubscribed then 1 else 0 end)
            as unsubscribed_count,
        sum(case when is_spam_reported then 1 else 0 end)
            as spam_reported_count,
        sum(case when user_id is not null then 1 else 0 end)
            as matched_user_send_count,
        min(sent_at) as first_sent_at,
        max(sent_at) as last_sent_at
    from sends
    group by 1

),

counted as (

    select
        campaigns.email_campaign_id,
        campaigns.campaign_name,
        campaigns.campaign_type,
        campaigns.included_count,
        coalesce(sends_counted.send_count, 0) as send_count,
        coalesce(sends_counted.send_count, 0)
        - coalesce(sends_counted.dropped_count, 0) as sent_count,
        coalesce(sends_counted.dropped_count, 0) as dropped_count,
        coalesce(sends_counted.delivered_count, 0) as delivered_count,
        coalesce(sends_counted.bounced_count, 0) as bounced_count,
        coalesce(sends_counted.hard_bounced_count, 0) as hard_bounced_count,
        coalesce(sends_counted.opened_count, 0) as opened_count,
        coalesce(sends_counted.human_opened_count, 0) as human_opened_count,
        coalesce(sends_counted.machine_only_opened_count, 0)
            as machine_only_opened_count,
        coalesce(sends_counted.clicked_count, 0) as clicked_count,
        coalesce(sends_counted.unsubscribed_count, 0) as unsubscribed_count,
        coalesce(sends_counted.spam_reported_count, 0)
            as spam_reported_count,
        coalesce(sends_counted.matched_user_send_count, 0)
            as matched_user_send_count,
        sends_counted.first_sent_at,
        sends_counted.last_sent_at
    from campaigns
    left outer join sends_counted
        on campaigns.email_campaign_id = sends_counted.email_campaign_id

),

final as (

    select
        cast(email_campaign_id as {{ dbt.type_string() }})
            as email_campaign_id,
        cast(campaign_name as {{ dbt.type_string() }}) as campaign_name,
        cast(campaign_type as {{ dbt.type_string() }}) as campaign_type,
        cast(included_count as {{ dbt.type_bigint() }}) as included_count,
        cast(send_count as {{ dbt.type_bigint() }}) as send_count,
        cast(sent_count as {{ dbt.type_bigint() }}) as sent_count,
        cast(dropped_count as {{ dbt.type_bigint() }}) as dropped_count,
        cast(delivered_count as {{ dbt.type_bigint() }}) as delivered_count,
        cast(bounced_count as {{ dbt.type_bigint() }}) as bounced_count,
        cast(hard_bounced_count as {{ dbt.type_bigint() }})
            as hard_bounced_count,
        cast(opened_count as {{ dbt.type_bigint() }}) as opened_count,
        cast(human_opened_count as {{ dbt.type_bigint() }})
            as human_opened_count,
        cast(machine_only_opened_count as {{ dbt.type_bigint() }})
            as machine_only_opened_count,
        cast(clicked_count as {{ dbt.type_bigint() }}) as clicked_count,
        cast(unsubscribed_count as {{ dbt.type_bigint() }})
            as unsubscribed_count,
        cast(spam_reported_count as {{ dbt.type_bigint() }})
            as spam_reported_count,
        cast(matched_user_send_count as {{ dbt.type_bigint() }})
            as matched_user_send_count,
        {{ safe_ratio('delivered_count', 'sent_count') }} as delivery_rate,
        {{ safe_ratio('bounced_count', 'sent_count') }} as bounce_rate,
        {{ safe_ratio('human_opened_count', 'delivered_count') }} as open_rate,
        {{ safe_ratio('opened_count', 'delivered_count') }}
            as open_rate_with_machine_opens,
        {{ safe_ratio('clicked_count', 'delivered_count') }} as click_rate,
        {{ safe_ratio('clicked_count', 'human_opened_count') }}
            as click_to_open_rate,
        {{ safe_ratio('unsubscribed_count', 'delivered_count') }}
            as unsubscribe_rate,
        cast(first_sent_at as {{ dbt.type_timestamp() }}) as first_sent_at,
        cast(last_sent_at as {{ dbt.type_timestamp() }}) as last_sent_at
    from counted

)

select * from final
