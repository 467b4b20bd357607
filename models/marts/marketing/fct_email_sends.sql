{#- One row per HubSpot marketing email send (a SENT event: one recipient
    of one campaign) of a person who is not erased, with what happened to
    it: delivery, drop, bounce, opens (all, and human opens without
    machine opens), human clicks, unsubscribe and spam report.
    int_email__sends_aggregated defines the send and the machine-open,
    bot-click and unsubscribe rules. The recipient is the app user
    (user_id, user_key) when the address matched one, else NULL: no email,
    email hash, contact id, IP or user agent reaches this mart. -#}
with

sends as (

    select * from {{ ref('int_email__sends_aggregated') }}

),

final as (

    select
        cast(send_id as {{ dbt.type_string() }}) as send_id,
        cast(email_campaign_id as {{ dbt.type_string() }})
            as email_campaign_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        cast({{ hash_key('user_id') }} as {{ dbt.type_string() }})
            as user_key,
        cast(campaign_name as {{ dbt.type_string() }}) as campaign_name,
        cast(campaign_type as {{ dbt.type_string() }}) as campaign_type,
        cast(recipient_match_method as {{ dbt.type_string() }})
            as recipient_match_method,
        cast(drop_reason as {{ dbt.type_string() }}) as drop_reason,
        cast(bounce_category as {{ dbt.type_string() }}) as bounce_category,
        cast(open_count as {{ dbt.type_bigint() }}) as open_count,
        cast(human_open_count as {{ dbt.type_bigint() }}) as human_open_count,
        cast(machine_open_count as {{ dbt.type_bigint() }})
            as machine_open_count,
        cast(click_count as {{ dbt.type_bigint() }}) as click_count,
        cast(bot_click_count as {{ dbt.type_bigint() }}) as bot_click_count,
        cast(is_delivered as {{ dbt.type_boolean() }}) as is_delivered,
        cast(is_dropped as {{ dbt.type_boolean() }}) as is_dropped,
        cast(is_bounced as {{ dbt.type_boolean() }}) as is_bounced,
        cast(is_hard_bounce as {{ dbt.type_boolean() }}) as is_hard_bounce,
        cast(is_opened as {{ dbt.type_boolean() }}) as is_opened,
        cast(is_human_opened as {{ dbt.type_boolean() }}) as is_human_opened,
        cast(is_machine_open as {{ dbt.type_boolean() }}) as is_machine_open,
        cast(is_clicked as {{ dbt.type_boolean() }}) as is_clicked,
        cast(is_unsubscribed as {{ dbt.type_boolean() }}) as is_unsubscribed,
        cast(is_spam_reported as {{ dbt.type_boolean() }})
            as is_spam_reported,
        cast({{ to_reporting_date('sent_at') }} as date) as sent_date,
        cast(sent_at as {{ dbt.type_timestamp() }}) as sent_at,
        cast(delivered_at as {{ dbt.type_timestamp() }}) as delivered_at,
        cast(dropped_at as {{ dbt.type_timestamp() }}) as dropped_at,
        cast(bounced_at as {{ dbt.type_timestamp() }}) as bounced_at,
        cast(first_opened_at as {{ dbt.type_timestamp() }})
            as first_opened_at,
        cast(first_human_opened_at as {{ dbt.type_timestamp() }})
            as first_human_opened_at,
        cast(first_clicked_at as {{ dbt.type_timestamp() }})
            as first_clicked_at,
        cast(unsubscribed_at as {{ dbt.type_timestamp() }})
            as unsubscribed_at,
        cast(spam_reported_at as {{ dbt.type_timestamp() }})
            as spam_reported_at
    from sends

)

select * from final
