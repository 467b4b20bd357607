{#- One row per session of int_events__sessionized, quarantined ones
    included: start, end, counts and the landing context of its first event
    (page or screen for the landing page; the first event carrying campaign
    data for UTMs and click ids, as a deep link on mobile arrives on the
    app-open track). Rebuilt every run from the incremental events, so no
    session attribute is stored twice. -#}
with

sessionized as (

    select * from {{ ref('int_events__sessionized') }}

),

session_events as (

    select *
    from sessionized
    where session_id is not null

),

landing_events as (

    select
        session_id,
        event_type as landing_event_type,
        event_name as landing_event_name,
        page_url as landing_page_url,
        page_url_host as landing_page_host,
        page_url_path as landing_page_path,
        page_title as landing_page_title,
        referrer_host,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        utm_content,
        gclid,
        gbraid,
        wbraid,
        msclkid,
        fbclid,
        li_fat_id,
        utm_id,
        hubspot_hsenc
    from session_events
    where event_number_in_session = 1

),

{# on mobile the campaign arrives on the app open, which may not be the
    first event: take the first event of the session that carries any #}
campaign_events as (

    select
        session_id,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        utm_content,
        gclid,
        gbraid,
        wbraid,
        msclkid,
        fbclid,
        li_fat_id,
        utm_id,
        hubspot_hsenc,
        row_number() over (
            partition by session_id order by event_number_in_session
        ) as campaign_event_rank
    from session_events
    where coalesce(
            utm_source, utm_medium, utm_campaign, gclid, gbraid, wbraid,
            msclkid, fbclid, li_fat_id, utm_id, hubspot_hsenc
        ) is not null

),

aggregated as (

    select
        session_id,
        source_platform,
        anonymous_id,
        min(session_start_at) as session_start_at,
        max(session_end_at) as session_end_at,
        cast(count(*) as {{ dbt.type_bigint() }}) as event_count,
        cast(
            sum(
                case when event_type = 'page' then 1 else 0 end
            ) as {{ dbt.type_bigint() }}
        )
            as page_view_count,
        cast(
            sum(
                case when event_type = 'screen' then 1 else 0 end
            ) as {{ dbt.type_bigint() }}
        )
            as screen_view_count,
        cast(
            sum(
                case when event_type = 'track' then 1 else 0 end
            ) as {{ dbt.type_bigint() }}
        )
            as track_count,
        max(user_id) as identified_user_id,
        cast(count(distinct user_id) as {{ dbt.type_bigint() }})
            as identified_user_count,
        max(device_class) as device_class,
        max(case when is_bot then 1 else 0 end) = 1 as has_bot_event
    from session_events
    group by 1, 2, 3

),

rebuilt as (

    select
        aggregated.session_id,
        aggregated.source_platform,
        aggregated.anonymous_id,
        aggregated.identified_user_id,
        aggregated.identified_user_count,
        aggregated.session_start_at,
        aggregated.session_end_at,
        case
            when aggregated.event_count > 1
                then {{ timestamp_seconds_between(
                    'aggregated.session_start_at', 'aggregated.session_end_at'
                ) }}
        end as duration_seconds,
        aggregated.event_count,
        aggregated.page_view_count,
        aggregated.screen_view_count,
        aggregated.track_count,
        aggregated.page_view_count + aggregated.screen_view_count
            as page_or_screen_count,
        aggregated.event_count = 1 as is_bounce,
        aggregated.has_bot_event,
        coalesce(
            aggregated.device_class,
            case
                when
                    aggregated.source_platform in ('ios', 'android')
                    then 'mobile'
            end
        ) as device_class,
        landing_events.landing_event_type,
        landing_events.landing_event_name,
        landing_events.landing_page_url,
        landing_events.landing_page_host,
        landing_events.landing_page_path,
        landing_events.landing_page_title,
        landing_events.referrer_host,
        coalesce(landing_events.utm_source, campaign_events.utm_source)
            as utm_source,
        coalesce(landing_events.utm_medium, campaign_events.utm_medium)
            as utm_medium,
        coalesce(landing_events.utm_campaign, campaign_events.utm_campaign)
            as utm_campaign,
        coalesce(landing_events.utm_term, campaign_events.utm_term) as utm_term,
        coalesce(landing_events.utm_content, campaign_events.utm_content)
            as utm_content,
        coalesce(landing_events.gclid, campaign_events.gclid) as gclid,
        coalesce(landing_events.gbraid, campaign_events.gbraid) as gbraid,
        coalesce(landing_events.wbraid, campaign_events.wbraid) as wbraid,
        coalesce(landing_events.msclkid, campaign_events.msclkid) as msclkid,
        coalesce(landing_events.fbclid, campaign_events.fbclid) as fbclid,
        coalesce(landing_events.li_fat_id, campaign_events.li_fat_id)
            as li_fat_id,
        coalesce(landing_events.utm_id, campaign_events.utm_id) as utm_id,
        coalesce(landing_events.hubspot_hsenc, campaign_events.hubspot_hsenc)
            as hubspot_hsenc
    from aggregated
    inner join landing_events
        on aggregated.session_id = landing_events.session_id
    left outer join campaign_events
        on
            aggregated.session_id = campaign_events.session_id
            and campaign_events.campaign_event_rank = 1

)

select * from rebuilt
