{#- One row per kept, non-erased Help Scout conversation with at least one
    scored customer message: the mean, lowest and highest VADER compound
    score of its customer messages and a label by VADER's convention on the
    mean (positive >= 0.05, negative <= -0.05, else neutral). The mean is
    unweighted: every message counts once, however long. -#}
{{ config(materialized='table') }}

with

messages as (

    select
        conversation_id,
        sentiment_compound,
        created_at
    from {{ ref('int_support__messages_sentiment_scored') }}

),

aggregated as (

    select
        conversation_id,
        count(*) as customer_message_count,
        avg(sentiment_compound) as sentiment_compound_mean,
        min(sentiment_compound) as sentiment_compound_min,
        max(sentiment_compound) as sentiment_compound_max,
        min(created_at) as first_customer_message_at,
        max(created_at) as last_customer_message_at
    from messages
    group by 1

),

final as (

    select
        conversation_id,
        cast(customer_message_count as {{ dbt.type_bigint() }})
            as customer_message_count,
        cast(sentiment_compound_mean as {{ type_double() }})
            as sentiment_compound_mean,
        cast(sentiment_compound_min as {{ type_double() }})
            as sentiment_compound_min,
        cast(sentiment_compound_max as {{ type_double() }})
            as sentiment_compound_max,
        case
            when sentiment_compound_mean >= 0.05 then 'positive'
            when sentiment_compound_mean <= -0.05 then 'negative'
            else 'neutral'
        end as sentiment_label,
        first_customer_message_at,
        last_customer_message_at
    from aggregated

)

select * from final
