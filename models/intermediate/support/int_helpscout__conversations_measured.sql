{#- One row per kept Help Scout conversation with its response, close,
    reopen and handoff measures, from int_helpscout__conversation_threads_ranked.
    First response: the first agent reply after the first customer message,
    timed from that message (NULL without a customer message or a reply).
    Business seconds (DST-correct) count only the time inside business
    hours: var support_business_hours_start / _end (local wall clock),
    on var support_business_days (ISO weekdays, 1 = Monday), in
    var support_timezone. Algorithm: both instants become local wall-clock
    times (convert_timezone); a calendar of local days numbers the business
    days cumulatively; the result is the open part of the first day after
    the start, plus the open part of the last day before the end, plus
    whole business days strictly between times the day's span (one
    formula on the same day). Business hours never contain a DST change in
    Europe/London (changes happen at 01:00 UTC on a Sunday), so wall-clock
    differences inside them are real elapsed seconds. SLA: answered within
    var support_first_response_sla_hours business hours; an unanswered
    conversation is a breach once its waiting time (up to its first close,
    else the data's end: the latest conversation update) exceeds the SLA,
    else NULL (pending, or closed unanswered within the SLA). -#}
{{ config(materialized='table') }}

{%- set tz = var('support_timezone', 'Europe/London') -%}
{%- set open_parts = var('support_business_hours_start', '09:00').split(':') -%}
{%- set close_parts = var('support_business_hours_end', '17:30').split(':') -%}
{%- set open_s = open_parts[0] | int * 3600 + open_parts[1] | int * 60 -%}
{%- set close_s = close_parts[0] | int * 3600 + close_parts[1] | int * 60 -%}
{%- set business_days = var('support_business_days', [1, 2, 3, 4, 5]) -%}
{%- set sla_s = var('support_first_response_sla_hours', 8) * 3600 %}

with

conversations as (

    select
        conversation_id,
        created_at,
        updated_at
    from {{ ref('int_helpscout__conversations_matched') }}

),

threads as (

    select
        conversation_id,
        author_agent_id,
        is_customer_message,
        is_agent_reply,
        is_first_customer_message,
        is_first_agent_response,
        is_close,
        is_reopen,
        is_handoff,
        created_at
    from {{ ref('int_helpscout__conversation_threads_ranked') }}

),

data_end as (

    select max(updated_at) as data_end_at
    from conversations

),

thread_measures as (

    select
        conversation_id,
        min(case when is_first_customer_message then created_at end)
            as first_customer_message_at,
        min(case when is_first_agent_response then created_at end)
            as first_response_at,
        min(case when is_first_agent_response then author_agent_id end)
            as first_response_agent_id,
        min(case when is_close then created_at end) as first_closed_at,
        max(case when is_close then created_at end) as last_closed_at,
        sum(case when is_close then 1 else 0 end) as close_count,
        sum(case when is_reopen then 1 else 0 end) as reopen_count,
        sum(case when is_handoff then 1 else 0 end) as handoff_count,
        sum(case when is_agent_reply then 1 else 0 end)
            as agent_message_count,
        sum(case when is_customer_message then 1 else 0 end)
            as customer_message_count
    from threads
    group by 1

),

{# the waiting span: from the first customer message to the first reply,
   else to the first close, else to the data's end #}
spans as (

    select
        conversations.conversation_id,
        conversations.created_at,
        thread_measures.first_customer_message_at,
        thread_measures.first_response_at,
        thread_measures.first_response_agent_id,
        thread_measures.first_closed_at,
        thread_measures.last_closed_at,
        thread_measures.close_count,
        thread_measures.reopen_count,
        thread_measures.handoff_count,
        thread_measures.agent_message_count,
        thread_measures.customer_message_count,
        data_end.data_end_at,
        cast(
            {{ convert_timezone(
                'thread_measures.first_customer_message_at', tz
            ) }}
            as {{ dbt.type_timestamp() }}
        ) as start_local_at,
        cast(
            {{ convert_timezone(
                'coalesce(thread_measures.first_response_at, '
                ~ 'thread_measures.first_closed_at, data_end.data_end_at)',
                tz
            ) }}
            as {{ dbt.type_timestamp() }}
        ) as end_local_at
    from conversations
    cross join data_end
    left outer join thread_measures
        on conversations.conversation_id = thread_measures.conversation_id

),

span_days as (

    select
        *,
        cast(start_local_at as date) as start_local_date,
        cast(end_local_at as date) as end_local_date,
        {{ timestamp_seconds_between(
            'cast(cast(start_local_at as date) as '
            ~ dbt.type_timestamp() ~ ')',
            'start_local_at'
        ) }} as start_second_of_day,
        {{ timestamp_seconds_between(
            'cast(cast(end_local_at as date) as '
            ~ dbt.type_timestamp() ~ ')',
            'end_local_at'
        ) }} as end_second_of_day
    from spans

),

days as (

    {{ day_series(
        dbt.dateadd('day', -1, '(select min(start_local_date) from span_days)'),
        dbt.dateadd('day', 1, '(select max(end_local_date) from span_days)')
    ) }}

),

{# 1900-01-01 was a Monday: the ISO weekday without engine-specific
   day-of-week numbering #}
weekdays as (

    select
        day,
        coalesce(
            mod(
                {{ dbt.datediff("cast('1900-01-01' as date)", 'day', 'day') }},
                7
            ) + 1 in ({{ business_days | join(', ') }}),
            false
        ) as is_business_day
    from days

),

{# business days numbered cumulatively: the business days strictly
   between two dates are a difference of numbers #}
calendar as (

    select
        day,
        is_business_day,
        sum(case when is_business_day then 1 else 0 end) over (
            order by day rows between unbounded preceding and current row
        ) as business_day_number
    from weekdays

),

{# the open part of the start day after the start, of the end day before
   the end, and the whole business days strictly between #}
span_parts as (

    select
        span_days.*,
        start_day.is_business_day as is_start_business_day,
        greatest(span_days.start_second_of_day, {{ open_s }})
            as start_clamped_second,
        least(span_days.end_second_of_day, {{ close_s }})
            as end_clamped_second,
        case
            when end_day.is_business_day
                then end_day.business_day_number
                    - start_day.business_day_number - 1
            else end_day.business_day_number - start_day.business_day_number
        end as whole_business_days,
        case
            when start_day.is_business_day
                then greatest(
                        0,
                        {{ close_s }}
                        - greatest(span_days.start_second_of_day, {{ open_s }})
                    )
            else 0
        end as start_day_seconds,
        case
            when end_day.is_business_day
                then greatest(
                        0,
                        least(span_days.end_second_of_day, {{ close_s }})
                        - {{ open_s }}
                    )
            else 0
        end as end_day_seconds
    from span_days
    left outer join calendar as start_day
        on span_days.start_local_date = start_day.day
    left outer join calendar as end_day
        on span_days.end_local_date = end_day.day

),

business_time as (

    select
        *,
        case
            when end_local_at < start_local_at then null
            when start_local_date = end_local_date
                then
                    case
                        when is_start_business_day
                            then greatest(
                                    0, end_clamped_second - start_clamped_second
                                )
                        else 0
                    end
            else
                start_day_seconds
                + end_day_seconds
                + whole_business_days * {{ close_s - open_s }}
        end as waiting_business_seconds
    from span_parts

),

final as (

    select
        conversation_id,
        first_customer_message_at,
        first_response_at,
        first_response_agent_id,
        cast(
            {{ timestamp_seconds_between(
                'first_customer_message_at', 'first_response_at'
            ) }}
            as {{ type_double() }}
        ) as first_response_seconds,
        cast(
            case
                when first_response_at is not null
                    then waiting_business_seconds
            end
            as {{ type_double() }}
        ) as first_response_business_seconds,
        cast(
            case
                when first_response_at is null
                    then waiting_business_seconds
            end
            as {{ type_double() }}
        ) as unanswered_business_seconds,
        case
            when first_response_at is not null
                then waiting_business_seconds <= {{ sla_s }}
            when waiting_business_seconds > {{ sla_s }} then false
        end as is_answered_within_sla,
        first_closed_at,
        last_closed_at,
        cast(
            {{ timestamp_seconds_between('created_at', 'first_closed_at') }}
            as {{ type_double() }}
        ) as seconds_to_first_close,
        cast(
            {{ timestamp_seconds_between('created_at', 'last_closed_at') }}
            as {{ type_double() }}
        ) as seconds_to_last_close,
        cast(coalesce(close_count, 0) as {{ dbt.type_bigint() }})
            as close_count,
        cast(coalesce(reopen_count, 0) as {{ dbt.type_bigint() }})
            as reopen_count,
        cast(coalesce(handoff_count, 0) as {{ dbt.type_bigint() }})
            as handoff_count,
        cast(coalesce(agent_message_count, 0) as {{ dbt.type_bigint() }})
            as agent_message_count,
        cast(coalesce(customer_message_count, 0) as {{ dbt.type_bigint() }})
            as customer_message_count,
        data_end_at
    from business_time

)

select * from final
