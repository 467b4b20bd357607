{#- The assignment intervals of an anonymous id never overlap
    (event-analytics §3): every moment of a device belongs to at most one
    user. Returns the overlapping pairs. -#}
with

intervals as (

    select * from {{ ref('int_identity__anonymous_ids_stitched') }}

)

select
    earlier.source_platform,
    earlier.anonymous_id,
    earlier.stitch_interval_id as earlier_interval_id,
    later.stitch_interval_id as later_interval_id
from intervals as earlier
inner join intervals as later
    on
        earlier.source_platform = later.source_platform
        and earlier.anonymous_id = later.anonymous_id
        and earlier.stitch_interval_id != later.stitch_interval_id
        and earlier.valid_from_at <= later.valid_from_at
        and (
            earlier.valid_to_at is null
            or earlier.valid_to_at > later.valid_from_at
        )
