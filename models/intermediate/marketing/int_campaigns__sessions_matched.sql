{#- One row per campaign session: a session of a real (non-internal)
    visitor that carries a campaign (utm_campaign) or an ad click id
    (gclid, gbraid, wbraid, fbclid, li_fat_id, msclkid), with the ad
    platform campaign it belongs to. The platform comes from the click id,
    else from utm_source; the campaign from the normalised utm_campaign
    (lower case, trimmed) equal to one of the campaign's keys in
    fct_ad_performance_daily (its ads' utm_campaign or its name, both
    normalised), on the same platform when the session's platform is
    known. A click id alone names the platform but not the campaign (no
    click-view table): such sessions, and campaigns matching no ad, keep
    campaign_id '(unmatched)' (platform '(unmatched)' when unknown), so
    campaign sessions reconcile with the report. When a key fits two
    campaigns the lowest (platform, campaign_id) wins. -#}
with

sessions as (

    select
        session_id,
        session_date,
        channel,
        utm_source,
        utm_campaign,
        gclid,
        gbraid,
        wbraid,
        msclkid,
        fbclid,
        li_fat_id
    from {{ ref('fct_sessions') }}
    where
        not coalesce(is_internal_user, false)
        and (
            utm_campaign is not null
            or gclid is not null
            or gbraid is not null
            or wbraid is not null
            or msclkid is not null
            or fbclid is not null
            or li_fat_id is not null
        )

),

ad_performance as (

    select
        platform,
        campaign_id,
        campaign_name,
        utm_campaign
    from {{ ref('fct_ad_performance_daily') }}

),

{# every normalised name a campaign answers to #}
campaign_keys as (

    select
        platform,
        campaign_id,
        lower(trim(utm_campaign)) as campaign_key
    from ad_performance
    where utm_campaign is not null
    group by 1, 2, 3
    union all
    select
        platform,
        campaign_id,
        lower(trim(campaign_name)) as campaign_key
    from ad_performance
    where campaign_name is not null
    group by 1, 2, 3

),

sessions_keyed as (

    select
        session_id,
        session_date,
        channel,
        nullif(lower(trim(utm_campaign)), '') as campaign_key,
        case
            when
                gclid is not null
                or gbraid is not null
                or wbraid is not null
                then 'google_ads'
            when fbclid is not null then 'facebook_ads'
            when li_fat_id is not null then 'linkedin_ads'
            when
                lower(trim(utm_source)) in (
                    'google', 'adwords', 'google_ads'
                )
                then 'google_ads'
            when
                lower(trim(utm_source)) in (
                    'facebook', 'fb', 'instagram', 'ig', 'meta'
                )
                then 'facebook_ads'
            when
                lower(trim(utm_source)) in (
                    'linkedin', 'li', 'lnkd'
                )
                then 'linkedin_ads'
        end as session_platform
    from sessions

),

candidates as (

    select
        sessions_keyed.session_id,
        campaign_keys.platform,
        campaign_keys.campaign_id
    from sessions_keyed
    inner join campaign_keys
        on
            sessions_keyed.campaign_key = campaign_keys.campaign_key
            and (
                sessions_keyed.session_platform is null
                or sessions_keyed.session_platform = campaign_keys.platform
            )
    where true
    qualify row_number() over (
            partition by sessions_keyed.session_id
            order by campaign_keys.platform, campaign_keys.campaign_id
        ) = 1

),

final as (

    select
        sessions_keyed.session_id,
        sessions_keyed.session_date,
        sessions_keyed.channel,
        sessions_keyed.campaign_key,
        sessions_keyed.session_platform,
        coalesce(
            candidates.platform,
            sessions_keyed.session_platform,
            '(unmatched)'
        ) as platform,
        coalesce(candidates.campaign_id, '(unmatched)') as campaign_id,
        candidates.campaign_id is not null as is_matched
    from sessions_keyed
    left outer join candidates
        on sessions_keyed.session_id = candidates.session_id

)

select * from final
