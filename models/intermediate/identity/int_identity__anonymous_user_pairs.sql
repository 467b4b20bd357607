{#- One row per (source, anonymous id, user id) seen together in an
    identify or in any event carrying both, with first and last sighting and
    the number of messages. A device with several users is a shared device;
    users are never merged through it (no transitive stitching). Bot devices are
    left out; erased people are purged upstream. -#}
with

messages as (

    select * from {{ ref('base_segment__messages_unioned') }}

),

bot_anonymous_ids as (

    select distinct
        source_platform,
        anonymous_id
    from messages
    where is_bot

),

identified as (

    select messages.*
    from messages
    left outer join bot_anonymous_ids
        on
            messages.source_platform = bot_anonymous_ids.source_platform
            and messages.anonymous_id = bot_anonymous_ids.anonymous_id
    where
        messages.anonymous_id is not null
        and messages.user_id is not null
        and bot_anonymous_ids.anonymous_id is null

),

pairs as (

    select
        source_platform,
        anonymous_id,
        user_id,
        min(event_at) as first_seen_at,
        max(event_at) as last_seen_at,
        count(*) as message_count,
        sum(case when event_type = 'identify' then 1 else 0 end)
            as identify_count
    from identified
    group by 1, 2, 3

),

flagged as (

    select
        {{ dbt.hash(dbt.concat([
            'source_platform', "'|'", 'anonymous_id', "'|'", 'user_id'
        ])) }} as anonymous_user_pair_id,
        pairs.*,
        count(*) over (
            partition by pairs.source_platform, pairs.anonymous_id
        ) > 1 as is_shared_device
    from pairs

)

select * from flagged
