{#- One row per Help Scout agent (support staff) of the latest users sync:
    role, type, time zone, teams (sorted team slugs, comma-joined), the
    mailboxes and conversations the agent worked in, first and last
    activity (any thread the agent wrote, line items included), and the
    median first response time in business seconds of the conversations
    the agent answered first (exact on DuckDB, approximate on BigQuery:
    macro approx_median). Staff names and emails are left out: the only
    label is 'Agent <id>'. Conversations of erased people are not
    counted (they are gone from int_helpscout__conversation_threads_ranked
    and fct_support_conversations). -#}
with

agents as (

    select
        agent_id,
        agent_role,
        agent_type,
        agent_timezone,
        created_at
    from {{ ref('stg_helpscout__agents') }}

),

team_members as (

    select
        team_id,
        agent_id
    from {{ ref('stg_helpscout__team_members') }}

),

teams as (

    select
        team_id,
        team_slug
    from {{ ref('stg_helpscout__teams') }}

),

threads as (

    select
        conversation_id,
        author_agent_id,
        is_agent_reply,
        created_at
    from {{ ref('int_helpscout__conversation_threads_ranked') }}
    where author_agent_id is not null

),

conversations as (

    select
        conversation_id,
        mailbox_id,
        assignee_agent_id,
        first_response_agent_id,
        first_response_business_seconds
    from {{ ref('fct_support_conversations') }}

),

agent_teams as (

    select
        team_members.agent_id,
        count(distinct team_members.team_id) as team_count,
        {{ dbt.listagg('teams.team_slug', "','", 'order by teams.team_slug') }}
            as team_slugs
    from team_members
    inner join teams
        on team_members.team_id = teams.team_id
    group by 1

),

activity as (

    select
        threads.author_agent_id as agent_id,
        min(threads.created_at) as first_activity_at,
        max(threads.created_at) as last_activity_at,
        count(
            distinct case
                when threads.is_agent_reply then threads.conversation_id
            end
        ) as conversations_handled,
        sum(case when threads.is_agent_reply then 1 else 0 end)
            as agent_message_count,
        count(distinct conversations.mailbox_id) as mailbox_count
    from threads
    left outer join conversations
        on threads.conversation_id = conversations.conversation_id
    group by 1

),

assigned as (

    select
        assignee_agent_id as agent_id,
        count(*) as conversations_assigned
    from conversations
    where assignee_agent_id is not null
    group by 1

),

first_responses as (

    select
        first_response_agent_id as agent_id,
        count(*) as first_response_count,
        {{ approx_median('first_response_business_seconds') }}
            as median_first_response_business_seconds
    from conversations
    where first_response_agent_id is not null
    group by 1

),

final as (

    select
        cast(agents.agent_id as {{ dbt.type_string() }}) as agent_id,
        cast(
            {{ dbt.concat(["'Agent '", 'agents.agent_id']) }}
            as {{ dbt.type_string() }}
        ) as agent_label,
        cast(agents.agent_role as {{ dbt.type_string() }}) as agent_role,
        cast(agents.agent_type as {{ dbt.type_string() }}) as agent_type,
        cast(agents.agent_timezone as {{ dbt.type_string() }})
            as agent_timezone,
        cast(agent_teams.team_slugs as {{ dbt.type_string() }})
            as team_slugs,
        cast(coalesce(agent_teams.team_count, 0) as {{ dbt.type_bigint() }})
            as team_count,
        cast(coalesce(activity.mailbox_count, 0) as {{ dbt.type_bigint() }})
            as mailbox_count,
        cast(agents.created_at as {{ dbt.type_timestamp() }})
            as agent_created_at,
        cast(activity.first_activity_at as {{ dbt.type_timestamp() }})
            as first_activity_at,
        cast(activity.last_activity_at as {{ dbt.type_timestamp() }})
            as last_activity_at,
        cast(
            coalesce(activity.conversations_handled, 0)
            as {{ dbt.type_bigint() }}
        ) as conversations_handled,
        cast(
            coalesce(activity.agent_message_count, 0)
            as {{ dbt.type_bigint() }}
        ) as agent_message_count,
        cast(
            coalesce(assigned.conversations_assigned, 0)
            as {{ dbt.type_bigint() }}
        ) as conversations_assigned,
        cast(
            coalesce(first_responses.first_response_count, 0)
            as {{ dbt.type_bigint() }}
        ) as first_response_count,
        cast(
            first_responses.median_first_response_business_seconds
            as {{ type_double() }}
        ) as median_first_response_business_seconds
    from agents
    left outer join agent_teams
        on agents.agent_id = agent_teams.agent_id
    left outer join activity
        on agents.agent_id = activity.agent_id
    left outer join assigned
        on agents.agent_id = assigned.agent_id
    left outer join first_responses
        on agents.agent_id = first_responses.agent_id

)

select * from final
