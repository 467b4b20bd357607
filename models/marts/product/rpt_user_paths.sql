{#- One row per distinct path of var('path_length') steps (event-analytics
    §9) among the top var('path_top_n') by sessions, plus one '(other)' row
    folding the long tail: how many sessions took it and their share of
    all sessions with a path.

    - Unit: one session of fct_events (session_id not null: interactive
      events of real visitors). Nodes: page paths folded through the
      page_path_templates seed (/investments/123 -> /investments/{id}),
      screen names, and tracks whose segment_event_catalog category is not
      lifecycle (app opens, deep links and installs are no steps; tracks
      missing from the catalogue are left out too). Page paths start with
      '/', screen names are Title Case, tracks snake_case, so node kinds
      stay apart without a prefix.
    - Consecutive repeats collapse (a reload is one step). The path starts
      at the session's first node, or with var('path_start_node') at its
      first occurrence of that node (sessions without it have no path),
      and keeps up to path_length nodes: shorter sessions give shorter
      paths, so every session with a node counts exactly once.
    - A template applies when it changes the path; the lowest rule_number
      that does wins (one template per path). The pattern comes from the
      seed, so it is passed to regexp_replace_all as an expression
      ("' || column || '" closes and reopens the macro's quotes).
    - Ranks order by sessions, then path, so ties rank deterministically.
    - Not a time grid: no period is censored. -#}
{%- set path_length = var('path_length', 4) | int -%}
{%- set top_n = var('path_top_n', 50) | int -%}
{%- set start_node = var('path_start_node', none) -%}
{%- set path_parts = ['step_1'] -%}
{%- for step in range(2, path_length + 1) -%}
    {%- do path_parts.append(
        "coalesce(' > ' || step_" ~ step ~ ", '')"
    ) -%}
{%- endfor -%}
with

events as (

    select * from {{ ref('fct_events') }}

),

event_catalog as (

    select * from {{ ref('segment_event_catalog') }}

),

page_path_templates as (

    select * from {{ ref('page_path_templates') }}

),

session_events as (

    select
        events.session_id,
        events.event_number_in_session,
        events.event_type,
        events.event_name,
        events.page_url_path
    from events
    where
        events.session_id is not null
        and events.event_type in ('page', 'screen', 'track')

),

page_paths as (

    select page_url_path
    from session_events
    where event_type = 'page' and page_url_path is not null
    group by 1

),

template_candidates as (

    select
        page_paths.page_url_path,
        page_path_templates.rule_number,
        {{ regexp_replace_all(
            'page_paths.page_url_path',
            "' || page_path_templates.path_pattern || '",
            "' || page_path_templates.path_template || '"
        ) }} as templated_path
    from page_paths
    cross join page_path_templates

),

template_matches as (

    select
        page_url_path,
        templated_path
    from template_candidates
    where templated_path != page_url_path
    qualify
        row_number() over (
            partition by page_url_path
            order by rule_number
        ) = 1

),

page_nodes as (

    select
        page_paths.page_url_path,
        coalesce(
            template_matches.templated_path, page_paths.page_url_path
        ) as page_node
    from page_paths
    left outer join template_matches
        on page_paths.page_url_path = template_matches.page_url_path

),

nodes as (

    select
        session_events.session_id,
        session_events.event_number_in_session,
        case
            when session_events.event_type = 'page'
                then page_nodes.page_node
            when session_events.event_type = 'screen'
                then session_events.event_name
            when event_catalog.event_category != 'lifecycle'
                then session_events.event_name
        end as node
    from session_events
    left outer join page_nodes
        on session_events.page_url_path = page_nodes.page_url_path
    left outer join event_catalog
        on
            session_events.event_type = 'track'
            and session_events.event_name = event_catalog.event_name

),

nodes_with_previous as (

    select
        session_id,
        event_number_in_session,
        node,
        lag(node) over (
            partition by session_id order by event_number_in_session
        ) as previous_node
    from nodes
    where node is not null

),

steps as (

    select
        session_id,
        node,
        row_number() over (
            partition by session_id order by event_number_in_session
        ) as step_index
    from nodes_with_previous
    where previous_node is null or previous_node != node

),

path_starts as (

    select
        session_id,
        min(step_index) as start_step_index
    from steps
    {%- if start_node is not none %}
    where node = {{ dbt.string_literal(start_node) }}
    {%- endif %}
    group by 1

),

path_steps as (

    select
        steps.session_id,
        steps.node,
        steps.step_index - path_starts.start_step_index + 1 as path_step
    from steps
    inner join path_starts
        on steps.session_id = path_starts.session_id
    where
        steps.step_index >= path_starts.start_step_index
        and steps.step_index < path_starts.start_step_index + {{ path_length }}

),

session_paths as (

    select
        session_id,
        {% for step in range(1, path_length + 1) -%}
        max(case when path_step = {{ step }} then node end)
            as step_{{ step }},
        {% endfor -%}
        count(*) as path_length
    from path_steps
    group by 1

),

path_counts as (

    select
        {{ dbt.concat(path_parts) }} as path, -- noqa: RF04
        path_length,
        count(*) as session_count
    from session_paths
    group by 1, 2

),

paths_ranked as (

    select
        path,
        path_length,
        session_count,
        row_number() over (
            order by session_count desc, path asc
        ) as path_rank
    from path_counts

),

folded as (

    select
        case
            when path_rank <= {{ top_n }} then path else '(other)'
        end as path, -- noqa: RF04
        case
            when path_rank <= {{ top_n }} then path_rank else {{ top_n + 1 }}
        end as path_rank,
        case when path_rank <= {{ top_n }} then path_length end as path_length,
        count(*) as folded_path_count,
        sum(session_count) as session_count
    from paths_ranked
    group by 1, 2, 3

),

final as (

    select
        cast(path_rank as {{ dbt.type_bigint() }}) as path_rank,
        cast(path as {{ dbt.type_string() }}) as path, -- noqa: RF04
        cast(path_length as {{ dbt.type_bigint() }}) as path_length,
        cast(folded_path_count as {{ dbt.type_bigint() }})
            as folded_path_count,
        cast(session_count as {{ dbt.type_bigint() }}) as session_count,
        cast(
            session_count * 1.0 / sum(session_count) over ()
            as {{ type_double() }}
        ) as share_of_sessions
    from folded

)

select * from final
