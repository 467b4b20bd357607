{#- The intervals during which an anonymous id belongs to a user
    (event-analytics §3). Each message belongs to the user of the latest
    identified message at or before it; on a shared device the id changes
    hands at the first message of the next user. Messages before a device's
    first identification go to its first user, unless that came more than
    var('stitch_max_gap_days') days later: the interval then starts that
    many days before it, and earlier messages stay anonymous. valid_to_at is
    exclusive and NULL for the current owner. -#}
with

messages as (

    select * from {{ ref('base_segment__messages_unioned') }}

),

pairs as (

    select * from {{ ref('int_identity__anonymous_user_pairs') }}

),

{# observations of the pairs kept (bots and erased ids left out there) #}
observations as (

    select
        messages.source_platform,
        messages.anonymous_id,
        messages.user_id,
        messages.event_at,
        messages.event_id,
        pairs.is_shared_device
    from messages
    inner join pairs
        on
            messages.source_platform = pairs.source_platform
            and messages.anonymous_id = pairs.anonymous_id
            and messages.user_id = pairs.user_id

),

hand_overs as (

    select
        *,
        lag(user_id) over (
            partition by source_platform, anonymous_id
            order by event_at, event_id
        ) as previous_user_id
    from observations

),

interval_starts as (

    select
        source_platform,
        anonymous_id,
        user_id,
        is_shared_device,
        event_at as identified_at,
        previous_user_id is null as is_first_owner
    from hand_overs
    where previous_user_id is null or previous_user_id != user_id

),

intervals as (

    select
        {{ dbt.hash(dbt.concat([
            'source_platform', "'|'", 'anonymous_id', "'|'",
            dbt.cast('identified_at', dbt.type_string())
        ])) }} as stitch_interval_id,
        source_platform,
        anonymous_id,
        user_id,
        row_number() over (
            partition by source_platform, anonymous_id
            order by identified_at
        ) as owner_number,
        identified_at,
        case
            when is_first_owner
                then {{ timestamp_add(
                    'day', -1 * var('stitch_max_gap_days'), 'identified_at'
                ) }}
            else identified_at
        end as valid_from_at,
        lead(identified_at) over (
            partition by source_platform, anonymous_id
            order by identified_at
        ) as valid_to_at,
        is_shared_device
    from interval_starts

)

select * from intervals
