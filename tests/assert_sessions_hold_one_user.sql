{#- A session maps to at most one user (event-analytics §3): the events of
    a session in fct_events carry the session's user or none. Returns the
    sessions whose events name two users. -#}
with

events as (

    select * from {{ ref('fct_events') }}

)

select
    session_id,
    count(distinct user_id) as user_count
from events
where session_id is not null
group by 1
having count(distinct user_id) > 1
