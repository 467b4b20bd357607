{#- One row per thread of a kept Help Scout conversation (the conversations
    of int_helpscout__conversations_matched: spam, deleted and erased
    people's conversations are already out), ranked in time, with who wrote
    it and what it means for the conversation. Author side: 'customer',
    'agent' (replies, notes, forwards written by staff) or 'system'
    (line items: status and assignee changes, which Help Scout records as
    threads created by the acting agent). The first agent response is the
    first agent reply the customer can see (message, chat or phone thread,
    not a note or forward) ranked after the conversation's first customer
    message. Status line items: 'closed' closes; 'active' or 'pending'
    right after a 'closed' status change reopens (one reopen per close). A handoff is an assignee change to a
    different agent than the previous assignee (the first assignment is
    none). No body text or emails. -#}
{{ config(materialized='table') }}

with

conversations as (

    select conversation_id
    from {{ ref('int_helpscout__conversations_matched') }}

),

threads as (

    select
        thread_id,
        conversation_id,
        author_agent_id,
        assigned_agent_id,
        thread_type,
        author_type,
        action_type,
        conversation_status,
        is_internal_note,
        is_message,
        created_at
    from {{ ref('stg_helpscout__conversation_threads') }}
    where quarantine_reason is null

),

kept as (

    select
        threads.thread_id,
        threads.conversation_id,
        threads.author_agent_id,
        threads.thread_type,
        threads.created_at,
        case
            when threads.thread_type = 'lineitem' then 'system'
            else threads.author_type
        end as author_side,
        case
            when threads.action_type = 'changed-ticket-status'
                then threads.conversation_status
        end as status_changed_to,
        case
            when threads.action_type = 'changed-ticket-assignee'
                then threads.assigned_agent_id
        end as assigned_agent_id,
        coalesce(threads.action_type = 'changed-ticket-assignee', false)
            as is_assignee_change,
        coalesce(
            threads.thread_type = 'lineitem'
            and threads.action_type = 'changed-ticket-status',
            false
        ) as is_status_change,
        threads.is_internal_note,
        threads.is_message
    from threads
    inner join conversations
        on threads.conversation_id = conversations.conversation_id

),

ranked as (

    select
        *,
        row_number() over (
            partition by conversation_id
            order by created_at, thread_id
        ) as thread_rank,
        lag(author_side) over (
            partition by conversation_id
            order by created_at, thread_id
        ) as previous_author_side,
        coalesce(author_side = 'customer' and is_message, false)
            as is_customer_message,
        coalesce(
            author_side = 'agent' and is_message and not is_internal_note,
            false
        ) as is_agent_reply
    from kept

),

{# the previous assignee, from assignee changes only (no lag ... ignore
   nulls on BigQuery) #}
assignee_changes as (

    select
        thread_id,
        lag(assigned_agent_id) over (
            partition by conversation_id
            order by thread_rank
        ) as previous_assigned_agent_id
    from ranked
    where is_assignee_change

),

{# the status before each status change, for reopens #}
status_changes as (

    select
        thread_id,
        lag(status_changed_to) over (
            partition by conversation_id
            order by thread_rank
        ) as previous_status
    from ranked
    where is_status_change

),

first_customer as (

    select
        conversation_id,
        min(thread_rank) as first_customer_message_rank
    from ranked
    where is_customer_message
    group by 1

),

first_response as (

    select
        ranked.conversation_id,
        min(ranked.thread_rank) as first_agent_response_rank
    from ranked
    inner join first_customer
        on ranked.conversation_id = first_customer.conversation_id
    where
        ranked.is_agent_reply
        and ranked.thread_rank > first_customer.first_customer_message_rank
    group by 1

),

final as (

    select
        ranked.thread_id,
        ranked.conversation_id,
        ranked.thread_type,
        ranked.author_side,
        ranked.previous_author_side,
        ranked.author_agent_id,
        ranked.status_changed_to,
        ranked.assigned_agent_id,
        assignee_changes.previous_assigned_agent_id,
        cast(ranked.thread_rank as {{ dbt.type_bigint() }}) as thread_rank,
        ranked.is_customer_message,
        ranked.is_agent_reply,
        ranked.is_internal_note,
        coalesce(
            ranked.thread_rank = first_customer.first_customer_message_rank,
            false
        ) as is_first_customer_message,
        coalesce(
            ranked.thread_rank = first_response.first_agent_response_rank,
            false
        ) as is_first_agent_response,
        ranked.is_status_change,
        coalesce(ranked.status_changed_to = 'closed', false) as is_close,
        coalesce(
            ranked.status_changed_to in ('active', 'pending')
            and status_changes.previous_status = 'closed',
            false
        ) as is_reopen,
        ranked.is_assignee_change,
        coalesce(
            ranked.is_assignee_change
            and assignee_changes.previous_assigned_agent_id is not null
            and ranked.assigned_agent_id is not null
            and ranked.assigned_agent_id
            != assignee_changes.previous_assigned_agent_id,
            false
        ) as is_handoff,
        ranked.created_at,
        {{ to_reporting_date('ranked.created_at') }} as created_date
    from ranked
    left outer join assignee_changes
        on ranked.thread_id = assignee_changes.thread_id
    left outer join status_changes
        on ranked.thread_id = status_changes.thread_id
    left outer join first_customer
        on ranked.conversation_id = first_customer.conversation_id
    left outer join first_response
        on ranked.conversation_id = first_response.conversation_id

)

select * from final
