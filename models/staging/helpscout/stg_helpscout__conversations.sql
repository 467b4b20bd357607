{#- One row per Help Scout conversation: the latest extracted version
    (Stitch appends a row per version; the latest _sdc_sequence wins). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('helpscout', 'conversations'),
            get_helpscout_columns('conversations')
        ) }}
    from {{ source('helpscout', 'conversations') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as conversation_id,
        cast(mailbox_id as {{ dbt.type_string() }}) as mailbox_id,
        cast(folder_id as {{ dbt.type_string() }}) as folder_id,
        cast(primary_customer__id as {{ dbt.type_string() }})
            as customer_id,
        cast(assignee__id as {{ dbt.type_string() }}) as assignee_agent_id,
        cast(
            case when created_by__type = 'user' then created_by__id end
            as {{ dbt.type_string() }}
        ) as created_by_agent_id,
        cast(closed_by as {{ dbt.type_string() }}) as closed_by_agent_id,

        -- strings
        lower(type) as channel,
        lower(status) as conversation_status,
        lower(state) as conversation_state,
        case lower(created_by__type)
            when 'user' then 'agent'
            when 'customer' then 'customer'
        end as created_by_type,
        case lower(customer_waiting_since__last_reply_from)
            when 'user' then 'agent'
            when 'customer' then 'customer'
        end as last_reply_from,
        lower(source__type) as source_type,
        lower(source__via) as source_via,

        -- personal data (stays in staging)
        subject,
        preview,
        {{ normalize_email('primary_customer__email') }} as customer_email,
        {{ hash_key(normalize_email('primary_customer__email')) }}
            as customer_email_hash,
        nullif(trim(primary_customer__first), '') as customer_first_name,
        nullif(trim(primary_customer__last), '') as customer_last_name,

        -- numerics
        number as conversation_number,
        threads as thread_count,

        -- booleans
        coalesce(lower(status) = 'spam', false) as is_spam,
        coalesce(lower(state) = 'deleted', false) as is_deleted,
        coalesce(lower(state) = 'draft', false) as is_draft,

        -- dates and timestamps
        {{ to_reporting_date('created_at') }} as created_reporting_date,
        created_at,
        customer_waiting_since__time as customer_waiting_since_at,
        closed_at,
        updated_at,
        user_updated_at,

        -- loader metadata
        _sdc_sequence,
        _sdc_batched_at as _loaded_at

    from source

),

deduplicated as (

    select *
    from renamed
    where true
    qualify
        row_number() over (
            partition by conversation_id
            order by _sdc_sequence desc, _loaded_at desc
        ) = 1

),

quarantined as (

    select
        *,
        case
            when created_at is null then 'missing created_at'
            when closed_at < created_at then 'closed before created'
        end as quarantine_reason
    from deduplicated

)

select * from quarantined
