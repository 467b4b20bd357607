{#- The web source's tracks, through the unioned column contract. -#}
with source as (

    select
        {{ fill_missing_columns(
            source('segment_web', 'tracks'),
            segment_union_columns('tracks')
        ) }}
    from {{ source('segment_web', 'tracks') }}

)

select
    *,
    'web' as source_platform
from source
