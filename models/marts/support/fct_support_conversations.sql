{#- One row per kept Help Scout conversation (not spam, not deleted, not
    quarantined; erased people's conversations left out upstream): its
    app user (user_id and the salted user_key, NULL when unmatched or
    ambiguous), mailbox, channel, status, tags (sorted, comma-joined),
    response and close timings (int_helpscout__conversations_measured:
    business seconds in Europe/London business hours, DST-correct),
    reopen and handoff counts, message counts, the latest happiness
    rating, and two machine-learning columns from dbt Python models:
    the customer's mean VADER sentiment and, for untagged conversations
    only, the predicted tag. No free text, emails or names. -#}
with

conversations as (

    select
        conversation_id,
        user_id,
        mailbox_id,
        assignee_agent_id,
        match_method,
        channel,
        conversation_status,
        created_by_type,
        created_date,
        created_at
    from {{ ref('int_helpscout__conversations_matched') }}

),

measures as (

    select
        conversation_id,
        first_customer_message_at,
        first_response_at,
        first_response_agent_id,
        first_response_seconds,
        first_response_business_seconds,
        is_answered_within_sla,
        first_closed_at,
        last_closed_at,
        seconds_to_first_close,
        seconds_to_last_close,
        reopen_count,
        handoff_count,
        agent_message_count,
        customer_message_count
    from {{ ref('int_helpscout__conversations_measured') }}

),

mailboxes as (

    select
        mailbox_id,
        mailbox_name
    from {{ ref('stg_helpscout__mailboxes') }}

),

tags as (

    select
        conversation_id,
        tag_name
    from {{ ref('stg_helpscout__conversation_tags') }}
    where tag_name is not null and tag_name != ''
    group by 1, 2

),

ratings as (

    select
        conversation_id,
        rating,
        rating_score,
        rated_at
    from {{ ref('stg_helpscout__happiness_ratings') }}
    where
        quarantine_reason is null
        and {{ not_erased('customer_id', 'helpscout_customer_id') }}

),

sentiment as (

    select
        conversation_id,
        sentiment_compound_mean,
        sentiment_label
    from {{ ref('int_support__conversations_sentiment_scored') }}

),

predicted_tags as (

    select
        conversation_id,
        predicted_tag,
        predicted_tag_probability
    from {{ ref('int_support__conversation_tags_predicted') }}

),

tag_lists as (

    select
        conversation_id,
        count(*) as tag_count,
        {{ dbt.listagg('tag_name', "','", 'order by tag_name') }} as tags
    from tags
    group by 1

),

{# the latest rating of the conversation (a customer may rate again) #}
latest_ratings as (

    select
        conversation_id,
        rating,
        rating_score,
        rated_at
    from ratings
    where true
    qualify
        row_number() over (
            partition by conversation_id
            order by rated_at desc
        ) = 1

),

final as (

    select
        cast(conversations.conversation_id as {{ dbt.type_string() }})
            as conversation_id,
        cast(conversations.user_id as {{ dbt.type_string() }}) as user_id,
        cast(
            case
                when conversations.user_id is not null
                    then {{ hash_key('conversations.user_id') }}
            end
            as {{ dbt.type_string() }}
        ) as user_key,
        cast(conversations.match_method as {{ dbt.type_string() }})
            as match_method,
        cast(conversations.mailbox_id as {{ dbt.type_string() }})
            as mailbox_id,
        cast(mailboxes.mailbox_name as {{ dbt.type_string() }})
            as mailbox_name,
        cast(conversations.channel as {{ dbt.type_string() }}) as channel,
        cast(conversations.conversation_status as {{ dbt.type_string() }})
            as conversation_status,
        cast(conversations.created_by_type as {{ dbt.type_string() }})
            as created_by_type,
        cast(conversations.assignee_agent_id as {{ dbt.type_string() }})
            as assignee_agent_id,
        cast(measures.first_response_agent_id as {{ dbt.type_string() }})
            as first_response_agent_id,
        cast(tag_lists.tags as {{ dbt.type_string() }}) as tags,
        cast(coalesce(tag_lists.tag_count, 0) as {{ dbt.type_bigint() }})
            as tag_count,
        cast(conversations.created_at as {{ dbt.type_timestamp() }})
            as created_at,
        cast(conversations.created_date as date) as created_date,
        cast(measures.first_customer_message_at as {{ dbt.type_timestamp() }})
            as first_customer_message_at,
        cast(measures.first_response_at as {{ dbt.type_timestamp() }})
            as first_response_at,
        cast(measures.first_response_seconds as {{ type_double() }})
            as first_response_seconds,
        cast(measures.first_response_business_seconds as {{ type_double() }})
            as first_response_business_seconds,
        cast(measures.is_answered_within_sla as {{ dbt.type_boolean() }})
            as is_answered_within_sla,
        cast(measures.first_closed_at as {{ dbt.type_timestamp() }})
            as first_closed_at,
        cast(measures.last_closed_at as {{ dbt.type_timestamp() }})
            as last_closed_at,
        cast(measures.seconds_to_first_close as {{ type_double() }})
            as seconds_to_first_close,
        cast(measures.seconds_to_last_close as {{ type_double() }})
            as seconds_to_last_close,
        cast(coalesce(measures.reopen_count, 0) as {{ dbt.type_bigint() }})
            as reopen_count,
        cast(coalesce(measures.handoff_count, 0) as {{ dbt.type_bigint() }})
            as handoff_count,
        cast(
            coalesce(measures.agent_message_count, 0)
            as {{ dbt.type_bigint() }}
        ) as agent_message_count,
        cast(
            coalesce(measures.customer_message_count, 0)
            as {{ dbt.type_bigint() }}
        ) as customer_message_count,
        cast(
            case
                when latest_ratings.rating = 'not good' then 'not_good'
                else latest_ratings.rating
            end
            as {{ dbt.type_string() }}
        ) as happiness_rating,
        cast(latest_ratings.rating_score as {{ dbt.type_bigint() }})
            as happiness_score,
        cast(latest_ratings.rated_at as {{ dbt.type_timestamp() }})
            as rated_at,
        cast(sentiment.sentiment_compound_mean as {{ type_double() }})
            as customer_sentiment_compound,
        cast(sentiment.sentiment_label as {{ dbt.type_string() }})
            as sentiment_label,
        cast(predicted_tags.predicted_tag as {{ dbt.type_string() }})
            as predicted_tag,
        cast(
            predicted_tags.predicted_tag_probability as {{ type_double() }}
        ) as predicted_tag_probability
    from conversations
    left outer join measures
        on conversations.conversation_id = measures.conversation_id
    left outer join mailboxes
        on conversations.mailbox_id = mailboxes.mailbox_id
    left outer join tag_lists
        on conversations.conversation_id = tag_lists.conversation_id
    left outer join latest_ratings
        on conversations.conversation_id = latest_ratings.conversation_id
    left outer join sentiment
        on conversations.conversation_id = sentiment.conversation_id
    left outer join predicted_tags
        on
            conversations.conversation_id = predicted_tags.conversation_id
            and tag_lists.conversation_id is null

)

select * from final
