{#- One row per recipient (salted email hash) of a HubSpot marketing email
    who is not an erased person, with the app user and the HubSpot contact
    the address resolves to. Email events carry only the address, so the
    match is by its hash (the raw address never leaves staging): first a
    live, not erased app user with that email hash (app_email), else a
    live contact with that hash whose user int_hubspot__contacts_merged
    resolved, as the surviving or the linked contact (crm_contact). Leads
    keep user_id NULL and the most recently modified live contact with the
    hash (contact_only); an address known nowhere is unmatched. Left out:
    a hash, user id or contact id of an erased person, and a hash that any
    erased contact still carries. -#}
with

email_events as (

    select distinct recipient_hash
    from {{ ref('stg_hubspot__email_events') }}
    where recipient_hash is not null

),

app_users as (

    select
        user_id,
        email_hash
    from {{ ref('stg_app_mysql__users') }}
    where
        not _is_source_deleted
        and not is_erased
        and email_hash is not null
        and {{ not_erased('user_id', 'user_id') }}

),

contacts as (

    select
        contact_id,
        email_hash,
        last_modified_at
    from {{ ref('stg_hubspot__contacts') }}
    where email_hash is not null

),

contacts_merged as (

    select
        user_id,
        hubspot_contact_id,
        linked_contact_id
    from {{ ref('int_hubspot__contacts_merged') }}

),

{# one app user per hash (a shared address goes to the lowest user id) #}
app_users_by_hash as (

    select
        email_hash,
        user_id
    from app_users
    where true
    qualify row_number() over (
            partition by email_hash
            order by user_id
        ) = 1

),

{# a contact carrying the hash, as a user's survivor or linked contact #}
crm_links as (

    select
        contacts.email_hash,
        contacts_merged.user_id,
        1 as link_priority
    from contacts
    inner join contacts_merged
        on contacts.contact_id = contacts_merged.hubspot_contact_id

    union all

    select
        contacts.email_hash,
        contacts_merged.user_id,
        2 as link_priority
    from contacts
    inner join contacts_merged
        on contacts.contact_id = contacts_merged.linked_contact_id

),

crm_users_by_hash as (

    select
        email_hash,
        user_id
    from crm_links
    where true
    qualify row_number() over (
            partition by email_hash
            order by link_priority, user_id
        ) = 1

),

lead_contacts_by_hash as (

    select
        email_hash,
        contact_id
    from contacts
    where true
    qualify row_number() over (
            partition by email_hash
            order by last_modified_at desc nulls last, contact_id asc
        ) = 1

),

erased_contact_hashes as (

    select distinct contacts.email_hash
    from contacts
    where
        contacts.contact_id in (
            {{ erased_identifiers_sql('hubspot_contact_id') }}
        )

),

resolved as (

    select
        email_events.recipient_hash,
        coalesce(app_users_by_hash.user_id, crm_users_by_hash.user_id)
            as user_id,
        case
            when app_users_by_hash.user_id is not null then 'app_email'
            when crm_users_by_hash.user_id is not null then 'crm_contact'
            when lead_contacts_by_hash.contact_id is not null
                then 'contact_only'
            else 'unmatched'
        end as match_method,
        lead_contacts_by_hash.contact_id as lead_contact_id
    from email_events
    left outer join app_users_by_hash
        on email_events.recipient_hash = app_users_by_hash.email_hash
    left outer join crm_users_by_hash
        on email_events.recipient_hash = crm_users_by_hash.email_hash
    left outer join lead_contacts_by_hash
        on email_events.recipient_hash = lead_contacts_by_hash.email_hash
    left outer join erased_contact_hashes
        on email_events.recipient_hash = erased_contact_hashes.email_hash
    where erased_contact_hashes.email_hash is null

),

{# a user's contact is their surviving contact, else the hash's contact #}
with_contact as (

    select
        resolved.recipient_hash,
        resolved.user_id,
        coalesce(
            contacts_merged.hubspot_contact_id, resolved.lead_contact_id
        ) as hubspot_contact_id,
        resolved.match_method
    from resolved
    left outer join contacts_merged
        on resolved.user_id = contacts_merged.user_id

),

final as (

    select
        recipient_hash,
        user_id,
        hubspot_contact_id,
        match_method
    from with_contact
    where
        {{ not_erased('recipient_hash', 'email_hash') }}
        and {{ not_erased('user_id', 'user_id') }}
        and {{ not_erased('hubspot_contact_id', 'hubspot_contact_id') }}

)

select * from final
