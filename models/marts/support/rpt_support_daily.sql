{#- One row per reporting day (Europe/London date) and Help Scout mailbox,
    from the first conversation's day to the data's last day: new
    conversations (created that day), conversations closed that day (any
    close; a conversation closed twice in a day counts once), the backlog
    at the end of the day (conversations open then: created, not closed,
    or reopened after their last close, by the latest status change of
    the day), the median first response in business seconds of the
    conversations first answered that day (exact on DuckDB, approximate on
    BigQuery), and CSAT: the share of 'great' among the happiness ratings
    given that day, with their count. The data's last day (the reporting
    date of the latest conversation update) is incomplete: its metrics are
    NULL. Erased people's conversations are not counted. -#}
{{ config(materialized='table') }}

with

conversations as (

    select
        conversation_id,
        mailbox_id,
        created_at,
        created_date,
        first_response_at,
        first_response_business_seconds,
        happiness_rating,
        rated_at
    from {{ ref('fct_support_conversations') }}

),

threads as (

    select
        conversation_id,
        thread_rank,
        status_changed_to,
        is_status_change,
        is_close,
        created_at,
        created_date
    from {{ ref('int_helpscout__conversation_threads_ranked') }}
    where is_status_change

),

measured as (

    select data_end_at
    from {{ ref('int_helpscout__conversations_measured') }}

),

mailboxes as (

    select mailbox_id
    from {{ ref('stg_helpscout__mailboxes') }}
    union distinct
    select mailbox_id
    from conversations
    where mailbox_id is not null

),

data_end as (

    select {{ to_reporting_date('max(data_end_at)') }} as data_end_date
    from measured

),

days as (

    {{ day_series(
        '(select min(created_date) from conversations)',
        '(select data_end_date from data_end)'
    ) }}

),

grid as (

    select
        days.day as report_date,
        mailboxes.mailbox_id
    from days
    cross join mailboxes

),

{# open/closed state changes: the creation opens, status changes to
   'closed' (or spam) close, to 'active'/'pending' (re)open #}
state_events as (

    select
        conversation_id,
        0 as event_rank,
        true as is_open,
        created_at as event_at,
        created_date as event_date
    from conversations

    union all

    select
        conversation_id,
        thread_rank as event_rank,
        coalesce(status_changed_to in ('active', 'pending'), false)
            as is_open,
        created_at as event_at,
        created_date as event_date
    from threads

),

state_spans as (

    select
        state_events.conversation_id,
        conversations.mailbox_id,
        state_events.is_open,
        state_events.event_date as valid_from_date,
        lead(state_events.event_date) over (
            partition by state_events.conversation_id
            order by state_events.event_at, state_events.event_rank
        ) as valid_to_date
    from state_events
    inner join conversations
        on state_events.conversation_id = conversations.conversation_id

),

backlog as (

    select
        grid.report_date,
        grid.mailbox_id,
        count(distinct state_spans.conversation_id) as backlog_count
    from grid
    inner join state_spans
        on
            grid.mailbox_id = state_spans.mailbox_id
            and grid.report_date >= state_spans.valid_from_date
            and (
                state_spans.valid_to_date is null
                or grid.report_date < state_spans.valid_to_date
            )
    where state_spans.is_open
    group by 1, 2

),

created as (

    select
        created_date as report_date,
        mailbox_id,
        count(*) as new_count
    from conversations
    group by 1, 2

),

closed as (

    select
        threads.created_date as report_date,
        conversations.mailbox_id,
        count(distinct threads.conversation_id) as closed_count
    from threads
    inner join conversations
        on threads.conversation_id = conversations.conversation_id
    where threads.is_close
    group by 1, 2

),

responses as (

    select
        {{ to_reporting_date('first_response_at') }} as report_date,
        mailbox_id,
        count(*) as first_response_count,
        {{ approx_median('first_response_business_seconds') }}
            as median_first_response_business_seconds
    from conversations
    where first_response_at is not null
    group by 1, 2

),

ratings as (

    select
        {{ to_reporting_date('rated_at') }} as report_date,
        mailbox_id,
        count(*) as rating_count,
        sum(case when happiness_rating = 'great' then 1 else 0 end)
            as great_count
    from conversations
    where rated_at is not null
    group by 1, 2

),

final as (

    select
        cast(grid.report_date as date) as report_date,
        cast(grid.mailbox_id as {{ dbt.type_string() }}) as mailbox_id,
        {{ censored(
            'coalesce(created.new_count, 0)',
            'grid.report_date < data_end.data_end_date',
            dbt.type_bigint()
        ) }} as new_conversation_count,
        {{ censored(
            'coalesce(closed.closed_count, 0)',
            'grid.report_date < data_end.data_end_date',
            dbt.type_bigint()
        ) }} as closed_conversation_count,
        {{ censored(
            'coalesce(backlog.backlog_count, 0)',
            'grid.report_date < data_end.data_end_date',
            dbt.type_bigint()
        ) }} as backlog_conversation_count,
        {{ censored(
            'coalesce(responses.first_response_count, 0)',
            'grid.report_date < data_end.data_end_date',
            dbt.type_bigint()
        ) }} as first_response_count,
        {{ censored(
            'responses.median_first_response_business_seconds',
            'grid.report_date < data_end.data_end_date',
            type_double()
        ) }} as median_first_response_business_seconds,
        {{ censored(
            safe_ratio('ratings.great_count', 'ratings.rating_count'),
            'grid.report_date < data_end.data_end_date',
            type_double()
        ) }} as csat_great_share,
        {{ censored(
            'coalesce(ratings.rating_count, 0)',
            'grid.report_date < data_end.data_end_date',
            dbt.type_bigint()
        ) }} as rating_count,
        coalesce(grid.report_date < data_end.data_end_date, false)
            as is_day_complete
    from grid
    cross join data_end
    left outer join created
        on
            grid.report_date = created.report_date
            and grid.mailbox_id = created.mailbox_id
    left outer join closed
        on
            grid.report_date = closed.report_date
            and grid.mailbox_id = closed.mailbox_id
    left outer join backlog
        on
            grid.report_date = backlog.report_date
            and grid.mailbox_id = backlog.mailbox_id
    left outer join responses
        on
            grid.report_date = responses.report_date
            and grid.mailbox_id = responses.mailbox_id
    left outer join ratings
        on
            grid.report_date = ratings.report_date
            and grid.mailbox_id = ratings.mailbox_id

)

select * from final
