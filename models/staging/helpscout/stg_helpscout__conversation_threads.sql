{#- One row per thread of a Help Scout conversation: the latest extraction
    (threads are re-extracted with every version of their conversation; the
    latest _sdc_sequence wins). The HTML body becomes plain text. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('helpscout', 'conversation_threads'),
            get_helpscout_columns('conversation_threads')
        ) }}
    from {{ source('helpscout', 'conversation_threads') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as thread_id,
        cast(conversation_id as {{ dbt.type_string() }}) as conversation_id,
        cast(customer__id as {{ dbt.type_string() }}) as customer_id,
        cast(
            case when lower(created_by__type) = 'user' then created_by__id end
            as {{ dbt.type_string() }}
        ) as author_agent_id,
        cast(assigned_to__id as {{ dbt.type_string() }})
            as assigned_agent_id,
        cast(saved_reply_id as {{ dbt.type_string() }}) as saved_reply_id,

        -- strings: created_by__type says who wrote the thread (user =
        -- staff); the thread type decides when it is missing
        lower(type) as thread_type,
        case
            when lower(created_by__type) = 'customer' then 'customer'
            when lower(created_by__type) = 'user' then 'agent'
            when lower(type) = 'customer' then 'customer'
            when lower(type) in ('message', 'note', 'lineitem', 'phone')
                then 'agent'
            when lower(type) like 'forward%' then 'agent'
        end as author_type,
        lower(status) as conversation_status,
        lower(state) as thread_state,
        lower(action__type) as action_type,
        action__text as action_text,
        lower(source__type) as source_type,
        lower(source__via) as source_via,
        {{ regexp_extract_group('body', 'href="([^"]+)"') }} as linked_url,

        -- personal data (stays in staging): the message as plain text
        {{ strip_html('body') }} as body_text,
        {{ normalize_email('customer__email') }} as customer_email,
        {{ hash_key(normalize_email('customer__email')) }}
            as customer_email_hash,

        -- booleans: notes, line items and forwards never reach the customer
        coalesce(lower(type) = 'note', false) as is_internal_note,
        coalesce(
            lower(type) in ('customer', 'message', 'chat', 'phone'), false
        ) as is_message,

        -- timestamps
        created_at,
        opened_at,

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
            partition by thread_id
            order by _sdc_sequence desc, _loaded_at desc
        ) = 1

),

quarantined as (

    select
        *,
        case
            when conversation_id is null then 'missing conversation_id'
            when created_at is null then 'missing created_at'
            when author_type is null then 'unknown author'
        end as quarantine_reason
    from deduplicated

)

select * from quarantined
