{#- One row per identifier of a person whose erasure completed
    (erased_user_ids_sql): their public and app ids, the salted user_key of
    the marts, every email hash any system still holds for them, and their
    HubSpot, Stripe and Help Scout ids. The app overwrites the email on
    erasure, so the hashes come from the systems that still hold it (HubSpot
    keeps deleted contacts, Stripe its customers) and reach Help Scout
    customers through their emails. HubSpot staging drops deleted
    contacts, so a deleted contact's emails come from its property
    history. Marts and intermediate models leave out
    every row that carries one of these (erased_identifiers_sql). -#}
with

erased_user_ids as (

    {{ erased_user_ids_sql() }}

),

app_users as (

    select
        user_id,
        app_user_id,
        email_hash,
        is_erased,
        hubspot_contact_id,
        stripe_customer_id
    from {{ ref('stg_app_mysql__users') }}

),

hubspot_contacts as (

    select
        contact_id,
        user_id,
        email_hash
    from {{ ref('stg_hubspot__contacts') }}

),

hubspot_email_history as (

    select
        contact_id,
        {{ hash_key(normalize_email('property_value')) }} as email_hash
    from {{ ref('stg_hubspot__contact_property_history') }}
    where property_name = 'email' and property_value is not null

),

stripe_customers as (

    select
        customer_id,
        user_id,
        app_user_id,
        email_hash
    from {{ ref('stg_stripe__customers') }}

),

helpscout_customer_emails as (

    select
        customer_id,
        email_hash
    from {{ ref('stg_helpscout__customer_emails') }}

),

erased_users as (

    select app_users.*
    from app_users
    inner join erased_user_ids
        on app_users.user_id = erased_user_ids.user_id

),

erased_hubspot_contacts as (

    select
        erased_users.user_id,
        hubspot_contacts.contact_id,
        hubspot_contacts.email_hash
    from hubspot_contacts
    inner join erased_users
        on
            hubspot_contacts.contact_id = erased_users.hubspot_contact_id
            or hubspot_contacts.user_id = erased_users.user_id

),

erased_hubspot_contact_ids as (

    select
        user_id,
        hubspot_contact_id as contact_id
    from erased_users
    where hubspot_contact_id is not null
    union distinct
    select
        user_id,
        contact_id
    from erased_hubspot_contacts

),

erased_hubspot_email_history as (

    select
        erased_hubspot_contact_ids.user_id,
        hubspot_email_history.email_hash
    from hubspot_email_history
    inner join erased_hubspot_contact_ids
        on
            hubspot_email_history.contact_id
            = erased_hubspot_contact_ids.contact_id

),

erased_stripe_customers as (

    select
        erased_users.user_id,
        stripe_customers.customer_id,
        stripe_customers.email_hash
    from stripe_customers
    inner join erased_users
        on
            stripe_customers.customer_id = erased_users.stripe_customer_id
            or stripe_customers.user_id = erased_users.user_id
            or stripe_customers.app_user_id = erased_users.app_user_id

),

erased_email_hashes as (

    {# the app's own hash only while the email is not yet overwritten #}
    select
        user_id,
        email_hash
    from erased_users
    where not is_erased and email_hash is not null
    union distinct
    select
        user_id,
        email_hash
    from erased_hubspot_contacts
    where email_hash is not null
    union distinct
    select
        user_id,
        email_hash
    from erased_hubspot_email_history
    union distinct
    select
        user_id,
        email_hash
    from erased_stripe_customers
    where email_hash is not null

),

erased_helpscout_customers as (

    select distinct
        erased_email_hashes.user_id,
        helpscout_customer_emails.customer_id
    from helpscout_customer_emails
    inner join erased_email_hashes
        on helpscout_customer_emails.email_hash = erased_email_hashes.email_hash

),

identifiers as (

    select
        user_id,
        'user_id' as identifier_type,
        user_id as identifier_value
    from erased_users
    union all
    select
        user_id,
        'app_user_id' as identifier_type,
        app_user_id as identifier_value
    from erased_users
    union all
    select
        user_id,
        'user_key' as identifier_type,
        {{ hash_key('user_id') }} as identifier_value
    from erased_users
    union all
    select
        user_id,
        'email_hash' as identifier_type,
        email_hash as identifier_value
    from erased_email_hashes
    union all
    select
        user_id,
        'hubspot_contact_id' as identifier_type,
        contact_id as identifier_value
    from erased_hubspot_contact_ids
    union all
    select
        user_id,
        'stripe_customer_id' as identifier_type,
        customer_id as identifier_value
    from erased_stripe_customers
    union all
    select
        user_id,
        'helpscout_customer_id' as identifier_type,
        customer_id as identifier_value
    from erased_helpscout_customers

),

deduplicated as (

    select distinct
        user_id,
        identifier_type,
        identifier_value
    from identifiers
    where identifier_value is not null

)

select * from deduplicated
