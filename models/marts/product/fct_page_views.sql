{#- One row per web page view of a real visitor: fct_events' pages with
    the page, referrer and campaign columns, and the page's position in its
    session. A view: the rows live in the incremental event model. -#}
{{ config(materialized='view') }}

with

events as (

    select * from {{ ref('fct_events') }}

),

page_views as (

    select
        event_id as page_view_id,
        source_platform,
        anonymous_id,
        user_id,
        session_id,
        event_number_in_session,
        page_url,
        page_url_host,
        page_url_path,
        page_title,
        referrer_host,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        utm_content,
        device_class,
        is_late_arrival,
        event_at as viewed_at,
        event_date as viewed_date,
        received_at
    from events
    where event_type = 'page'

)

select * from page_views
