{#- One row per Help Scout conversation that is not spam, not deleted and
    not quarantined, with the app user it belongs to. Matching is on
    salted email hashes only (emails normalised in staging, so case and
    whitespace differences match). The Help Scout side offers the
    conversation's customer email and every email of its customer (the
    app email is not always the first); the identity side offers, in
    order of trust: the app's own email (level 1 for the conversation's
    email, level 2 for the customer's other emails), then HubSpot contacts
    carrying an app_user_id (level 3), then live-mode, non-deleted Stripe
    customers carrying a user id (level 4). The first level with any hit
    decides: one distinct user is a match, several are 'ambiguous' (user_id
    NULL, never guessed from a lower level); no hit is 'unmatched'.
    A conversation is left out when its matched user, any candidate user,
    its customer id or its email hash belongs to an erased person. No free
    text or personal data (subject, preview, emails, names) is carried. -#}
{{ config(materialized='table') }}

with

conversations as (

    select
        conversation_id,
        customer_id,
        mailbox_id,
        folder_id,
        assignee_agent_id,
        channel,
        conversation_status,
        conversation_state,
        created_by_type,
        source_type,
        source_via,
        customer_email_hash,
        conversation_number,
        thread_count,
        is_draft,
        created_reporting_date,
        created_at,
        closed_at,
        updated_at
    from {{ ref('stg_helpscout__conversations') }}
    where
        not is_spam
        and not is_deleted
        and quarantine_reason is null

),

customer_emails as (

    select
        customer_id,
        email_hash
    from {{ ref('stg_helpscout__customer_emails') }}
    where email_hash is not null

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

),

hubspot_contacts as (

    select
        user_id,
        email_hash
    from {{ ref('stg_hubspot__contacts') }}
    where user_id is not null and email_hash is not null

),

stripe_customers as (

    select
        user_id,
        email_hash
    from {{ ref('stg_stripe__customers') }}
    where
        user_id is not null
        and email_hash is not null
        and is_livemode
        and not coalesce(is_deleted, false)

),

{# the email hashes each conversation offers, and where they come from #}
conversation_hashes as (

    select
        conversation_id,
        customer_email_hash as email_hash,
        true as is_conversation_email
    from conversations
    where customer_email_hash is not null

    union all

    select
        conversations.conversation_id,
        customer_emails.email_hash,
        false as is_conversation_email
    from conversations
    inner join customer_emails
        on conversations.customer_id = customer_emails.customer_id

),

identity_hashes as (

    select
        user_id,
        email_hash,
        'app' as identity_source
    from app_users
    union all
    select
        user_id,
        email_hash,
        'hubspot' as identity_source
    from hubspot_contacts
    union all
    select
        user_id,
        email_hash,
        'stripe' as identity_source
    from stripe_customers

),

candidates as (

    select
        conversation_hashes.conversation_id,
        identity_hashes.user_id,
        case
            when
                identity_hashes.identity_source = 'app'
                and conversation_hashes.is_conversation_email
                then 1
            when identity_hashes.identity_source = 'app' then 2
            when identity_hashes.identity_source = 'hubspot' then 3
            else 4
        end as match_level
    from conversation_hashes
    inner join identity_hashes
        on conversation_hashes.email_hash = identity_hashes.email_hash

),

best_level as (

    select
        conversation_id,
        min(match_level) as match_level
    from candidates
    group by 1

),

resolved as (

    select
        best_level.conversation_id,
        best_level.match_level,
        count(distinct candidates.user_id) as candidate_user_count,
        min(candidates.user_id) as candidate_user_id
    from best_level
    inner join candidates
        on
            best_level.conversation_id = candidates.conversation_id
            and best_level.match_level = candidates.match_level
    group by 1, 2

),

{# a conversation any of whose candidates (at any level) is erased #}
erased_candidates as (

    select conversation_id
    from candidates
    where not {{ not_erased('user_id', 'user_id') }}
    group by 1

),

matched as (

    select
        conversations.conversation_id,
        case
            when resolved.candidate_user_count = 1
                then resolved.candidate_user_id
        end as user_id,
        conversations.customer_id as helpscout_customer_id,
        conversations.mailbox_id,
        conversations.folder_id,
        conversations.assignee_agent_id,
        case
            when resolved.conversation_id is null then 'unmatched'
            when resolved.candidate_user_count > 1 then 'ambiguous'
            when resolved.match_level = 1 then 'app_email'
            when resolved.match_level = 2 then 'app_email_secondary'
            when resolved.match_level = 3 then 'hubspot_email'
            else 'stripe_email'
        end as match_method,
        conversations.channel,
        conversations.conversation_status,
        conversations.conversation_state,
        conversations.created_by_type,
        conversations.source_type,
        conversations.source_via,
        conversations.customer_email_hash,
        conversations.conversation_number,
        conversations.thread_count,
        cast(
            coalesce(resolved.candidate_user_count, 0)
            as {{ dbt.type_bigint() }}
        ) as candidate_user_count,
        coalesce(resolved.candidate_user_count = 1, false) as is_matched,
        conversations.is_draft,
        conversations.created_reporting_date as created_date,
        conversations.created_at,
        conversations.closed_at,
        conversations.updated_at
    from conversations
    left outer join resolved
        on conversations.conversation_id = resolved.conversation_id
    left outer join erased_candidates
        on conversations.conversation_id = erased_candidates.conversation_id
    where erased_candidates.conversation_id is null

),

final as (

    select
        conversation_id,
        user_id,
        helpscout_customer_id,
        mailbox_id,
        folder_id,
        assignee_agent_id,
        match_method,
        channel,
        conversation_status,
        conversation_state,
        created_by_type,
        source_type,
        source_via,
        conversation_number,
        thread_count,
        candidate_user_count,
        is_matched,
        is_draft,
        created_date,
        created_at,
        closed_at,
        updated_at
    from matched
    where
        {{ not_erased('user_id', 'user_id') }}
        and {{ not_erased('helpscout_customer_id', 'helpscout_customer_id') }}
        and {{ not_erased('customer_email_hash', 'email_hash') }}

)

select * from final
