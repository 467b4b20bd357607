{#- One row per app user (not source-deleted, not erased) linked to a live
    HubSpot contact, with the surviving contact's lifecycle stage, lead
    status and analytics source. A user reaches contacts two ways: a live
    contact whose app_user_id property holds the user's id, and the app's
    users.hubspot_contact_id pointer. Each linked id is resolved through
    base_hubspot__contact_merges (merged-away loser -> survivor, followed
    for two hops in case a survivor was itself merged later); only a live
    contact that is not merged away can be the result. When the two ways
    disagree the property wins: the pointer is left on merged-away or
    duplicate contacts (shared email) that never carried the app id. Ties
    go to the most recently modified contact, then the lowest id. The
    erased are left out by user id and by every contact id involved. -#}
{{ config(materialized='table') }}

with

contacts as (

    select
        contact_id,
        user_id,
        lifecycle_stage,
        lead_status,
        analytics_source,
        created_at,
        last_modified_at,
        first_visit_at
    from {{ ref('stg_hubspot__contacts') }}

),

contact_merges as (

    select
        contact_id,
        merged_into_contact_id
    from {{ ref('base_hubspot__contact_merges') }}

),

app_users as (

    select
        user_id,
        hubspot_contact_id
    from {{ ref('stg_app_mysql__users') }}
    where
        not _is_source_deleted
        and {{ not_erased('user_id', 'user_id') }}

),

{# every (user, contact id) link, with its precedence #}
links as (

    select
        user_id,
        contact_id as linked_contact_id,
        'app_user_id_property' as match_method,
        1 as match_priority
    from contacts
    where user_id is not null

    union all

    select
        user_id,
        hubspot_contact_id as linked_contact_id,
        'app_contact_pointer' as match_method,
        2 as match_priority
    from app_users
    where hubspot_contact_id is not null

),

resolved as (

    select
        links.user_id,
        links.linked_contact_id,
        links.match_method,
        links.match_priority,
        coalesce(
            second_hop.merged_into_contact_id,
            first_hop.merged_into_contact_id,
            links.linked_contact_id
        ) as surviving_contact_id
    from links
    left outer join contact_merges as first_hop
        on links.linked_contact_id = first_hop.contact_id
    left outer join contact_merges as second_hop
        on first_hop.merged_into_contact_id = second_hop.contact_id

),

{# only live survivors of app users; nothing of an erased person #}
candidates as (

    select
        resolved.user_id,
        resolved.linked_contact_id,
        resolved.surviving_contact_id,
        resolved.match_method,
        resolved.match_priority,
        contacts.lifecycle_stage,
        contacts.lead_status,
        contacts.analytics_source,
        contacts.created_at,
        contacts.last_modified_at,
        contacts.first_visit_at
    from resolved
    inner join app_users
        on resolved.user_id = app_users.user_id
    inner join contacts
        on resolved.surviving_contact_id = contacts.contact_id
    left outer join contact_merges
        on resolved.surviving_contact_id = contact_merges.contact_id
    where
        contact_merges.contact_id is null
        and {{ not_erased('resolved.linked_contact_id', 'hubspot_contact_id') }}
        and {{ not_erased(
            'resolved.surviving_contact_id', 'hubspot_contact_id'
        ) }}

),

link_counts as (

    select
        user_id,
        count(distinct linked_contact_id) as linked_contact_count,
        count(distinct surviving_contact_id) as surviving_contact_count
    from candidates
    group by 1

),

picked as (

    select *
    from candidates
    where true
    qualify row_number() over (
            partition by user_id
            order by
                match_priority asc,
                last_modified_at desc nulls last,
                surviving_contact_id asc
        ) = 1

),

final as (

    select
        picked.user_id,
        picked.surviving_contact_id as hubspot_contact_id,
        picked.linked_contact_id,
        picked.match_method,
        picked.lifecycle_stage,
        picked.lead_status,
        picked.analytics_source,
        cast(link_counts.linked_contact_count as {{ dbt.type_bigint() }})
            as linked_contact_count,
        picked.linked_contact_id != picked.surviving_contact_id
            as is_resolved_through_merge,
        link_counts.surviving_contact_count > 1 as has_conflicting_links,
        picked.created_at as contact_created_at,
        picked.last_modified_at as contact_last_modified_at,
        picked.first_visit_at
    from picked
    inner join link_counts
        on picked.user_id = link_counts.user_id

)

select * from final
