{#- The sessions of rpt_user_paths add up to the sessions of fct_events
    with at least one path node (a page with a path, a named screen, or a
    track whose segment_event_catalog category is not lifecycle), counted
    here independently of the report's templating and folding. With
    var('path_start_node') set only sessions reaching that node have a
    path, so the report may then hold fewer, never more. Returns one row
    when they differ. -#}
{{ config(store_failures=true) }}
{%- set mismatch = '!=' if var('path_start_node', none) is none else '>' %}

with

report as (

    select session_count from {{ ref('rpt_user_paths') }}

),

events as (

    select
        session_id,
        event_type,
        event_name,
        page_url_path
    from {{ ref('fct_events') }}
    where session_id is not null

),

event_catalog as (

    select
        event_name,
        event_category
    from {{ ref('segment_event_catalog') }}

),

sessions_with_node as (

    select count(distinct events.session_id) as session_count
    from events
    left outer join event_catalog
        on events.event_name = event_catalog.event_name
    where
        (events.event_type = 'page' and events.page_url_path is not null)
        or (events.event_type = 'screen' and events.event_name is not null)
        or (
            events.event_type = 'track'
            and event_catalog.event_category != 'lifecycle'
        )

),

report_total as (

    select coalesce(sum(session_count), 0) as session_count
    from report

),

compared as (

    select
        report_total.session_count as report_session_count,
        sessions_with_node.session_count as expected_session_count
    from report_total
    cross join sessions_with_node

)

select
    report_session_count,
    expected_session_count
from compared
where report_session_count {{ mismatch }} expected_session_count
