{#- One row per session of int_sessions__rebuilt: its GA4-style default
    channel (event-analytics §6) and the normalised source, medium and
    referrer category behind it.

    - The rules live in the channel_rules seed, one condition per column
      (NULL = any); a channel with OR-ed conditions has several rows. Every
      session is tested against every rule (a cross join of a few dozen
      rules) and the lowest rule_number that matches wins. Rule 1
      "(excluded)" is not here: fct_sessions carries is_internal_user.
    - Hosts and source spellings are classified by joins to the
      referrer_hosts and source_synonyms seeds, never by a CASE of names.
      A referrer host matches a seed host exactly or as a subdomain
      (l.instagram.com -> instagram.com); the longest seed host wins, so
      mail.google.com is email while google.com is search. A referrer on
      the landing page's own host is internal too.
    - UTM values arrive cleaned from staging (decoded, trimmed, lower
      case); medium_in lists match utm_medium itself, not the derived
      normalized_medium.
    - source_category is the utm_source's category when there is a
      utm_source, else the external referrer's (GA4: the session source).
    - click_id_family: search_ads (gclid, gbraid, wbraid, msclkid),
      linkedin_ads (li_fat_id), hubspot_email (_hsenc), facebook (fbclid,
      paid or organic); one per session, in that order, as two families
      never meet on one landing URL in practice.
    - A session no rule matches (the seed ends with catch-all Direct and
      Unassigned rules, so only after a seed edit) is Unassigned with a
      NULL channel_rule_number. -#}
{%- set paid_search_ids =
    'sessions.gclid, sessions.gbraid, sessions.wbraid, sessions.msclkid' -%}
with

sessions as (

    select * from {{ ref('int_sessions__rebuilt') }}

),

{# an empty condition means any (nullif: CSV fixtures of unit tests read
    empty cells as '') #}
channel_rules as (

    select
        rule_number,
        channel,
        nullif(medium_in, '') as medium_in,
        nullif(medium_not_in, '') as medium_not_in,
        nullif(source_category, '') as source_category,
        nullif(click_id_family, '') as click_id_family,
        nullif(referrer_category, '') as referrer_category,
        has_referral_code,
        has_campaign_data,
        has_external_referrer
    from {{ ref('channel_rules') }}

),

referrer_hosts as (

    select * from {{ ref('referrer_hosts') }}

),

source_synonyms as (

    select * from {{ ref('source_synonyms') }}

),

session_referrer_hosts as (

    select referrer_host
    from sessions
    where referrer_host is not null
    group by 1

),

{# the most specific seed host equal to the referrer or a parent domain
    of it; the cross join runs on distinct hosts only #}
referrer_hosts_matched as (

    select
        session_referrer_hosts.referrer_host,
        referrer_hosts.normalized_source,
        referrer_hosts.referrer_category
    from session_referrer_hosts
    cross join referrer_hosts
    where
        session_referrer_hosts.referrer_host = referrer_hosts.host
        or session_referrer_hosts.referrer_host
        like ({{ dbt.concat(["'%.'", 'referrer_hosts.host']) }})
    qualify
        row_number() over (
            partition by session_referrer_hosts.referrer_host
            order by {{ dbt.length('referrer_hosts.host') }} desc
        ) = 1

),

landing_context as (

    select
        sessions.session_id,
        sessions.utm_source,
        sessions.utm_medium,
        source_synonyms.normalized_source as utm_normalized_source,
        source_synonyms.source_category as utm_source_category,
        case
            when coalesce({{ paid_search_ids }}) is not null
                then 'search_ads'
            when sessions.li_fat_id is not null then 'linkedin_ads'
            when sessions.hubspot_hsenc is not null then 'hubspot_email'
            when sessions.fbclid is not null then 'facebook'
        end as click_id_family,
        case
            when coalesce(sessions.gclid, sessions.gbraid, sessions.wbraid)
                is not null
                then 'google'
            when sessions.msclkid is not null then 'bing'
            when sessions.li_fat_id is not null then 'linkedin'
            when sessions.hubspot_hsenc is not null then 'hubspot'
            when sessions.fbclid is not null then 'facebook'
        end as click_id_source,
        case
            when sessions.referrer_host is null then null
            when sessions.referrer_host = sessions.landing_page_host
                then 'internal'
            else coalesce(referrer_hosts_matched.referrer_category, 'other')
        end as referrer_category,
        coalesce(
            referrer_hosts_matched.normalized_source, sessions.referrer_host
        ) as referrer_source,
        coalesce(
            {{ url_parameter_raw('sessions.landing_page_url', 'ref') }}
            is not null,
            false
        ) as has_referral_code,
        coalesce(
            sessions.utm_source,
            sessions.utm_medium,
            sessions.utm_campaign,
            sessions.utm_term,
            sessions.utm_content,
            sessions.utm_id,
            {{ paid_search_ids }},
            sessions.fbclid,
            sessions.li_fat_id,
            sessions.hubspot_hsenc
        ) is not null as has_utm_or_click_id
    from sessions
    left outer join referrer_hosts_matched
        on sessions.referrer_host = referrer_hosts_matched.referrer_host
    left outer join source_synonyms
        on sessions.utm_source = source_synonyms.source_value

),

session_attributes as (

    select
        session_id,
        utm_medium,
        click_id_family,
        referrer_category,
        has_referral_code,
        has_utm_or_click_id or has_referral_code as has_campaign_data,
        coalesce(referrer_category != 'internal', false)
            as has_external_referrer,
        case
            when utm_source is not null
                then utm_source_category
            when referrer_category in ('search', 'social', 'email')
                then referrer_category
        end as source_category,
        case
            when utm_source is not null
                then coalesce(utm_normalized_source, utm_source)
            when click_id_source is not null then click_id_source
            when referrer_category != 'internal' then referrer_source
            when has_utm_or_click_id or has_referral_code then '(not set)'
            else '(direct)'
        end as normalized_source,
        {# GA4's defaults when the link carries no utm_medium #}
        case
            when utm_medium is not null then utm_medium
            when click_id_family = 'search_ads' then 'cpc'
            when click_id_family = 'linkedin_ads' then 'paid_social'
            when click_id_family = 'hubspot_email' then 'email'
            when referrer_category = 'search' then 'organic'
            when
                referrer_category = 'social' or click_id_family = 'facebook'
                then 'social'
            when referrer_category = 'email' then 'email'
            when referrer_category = 'other' then 'referral'
            when has_utm_or_click_id or has_referral_code then '(not set)'
            else '(none)'
        end as normalized_medium
    from landing_context

),

{# every rule whose conditions all hold (a NULL condition holds);
    '|' delimits the medium lists so cpc never matches cpcv #}
rule_matches as (

    select
        session_attributes.session_id,
        channel_rules.rule_number,
        channel_rules.channel
    from session_attributes
    cross join channel_rules
    where
        (
            channel_rules.medium_in is null
            or {{ dbt.position(
                "('|' || session_attributes.utm_medium || '|')",
                "('|' || channel_rules.medium_in || '|')"
            ) }} > 0
        )
        and (
            channel_rules.medium_not_in is null
            or session_attributes.utm_medium is null
            or {{ dbt.position(
                "('|' || session_attributes.utm_medium || '|')",
                "('|' || channel_rules.medium_not_in || '|')"
            ) }} = 0
        )
        and (
            channel_rules.source_category is null
            or channel_rules.source_category
            = session_attributes.source_category
        )
        and (
            channel_rules.click_id_family is null
            or channel_rules.click_id_family
            = session_attributes.click_id_family
        )
        and (
            channel_rules.referrer_category is null
            or channel_rules.referrer_category
            = session_attributes.referrer_category
        )
        and (
            channel_rules.has_referral_code is null
            or channel_rules.has_referral_code
            = session_attributes.has_referral_code
        )
        and (
            channel_rules.has_campaign_data is null
            or channel_rules.has_campaign_data
            = session_attributes.has_campaign_data
        )
        and (
            channel_rules.has_external_referrer is null
            or channel_rules.has_external_referrer
            = session_attributes.has_external_referrer
        )
    qualify
        row_number() over (
            partition by session_attributes.session_id
            order by channel_rules.rule_number
        ) = 1

),

final as (

    select
        session_attributes.session_id,
        coalesce(rule_matches.channel, 'Unassigned') as channel,
        rule_matches.rule_number as channel_rule_number,
        session_attributes.normalized_source,
        session_attributes.normalized_medium,
        session_attributes.source_category,
        session_attributes.referrer_category,
        session_attributes.click_id_family,
        session_attributes.has_campaign_data,
        session_attributes.has_external_referrer
    from session_attributes
    left outer join rule_matches
        on session_attributes.session_id = rule_matches.session_id

)

select * from final
