{#- The ios source's tracks, through the unioned column contract. -#}
with source as (

    select
        {{ fill_missing_columns(
            source('segment_ios', 'tracks'),
            segment_union_columns('tracks')
        ) }}
    from {{ source('segment_ios', 'tracks') }}

)

select
    *,
    'ios' as source_platform
from source
