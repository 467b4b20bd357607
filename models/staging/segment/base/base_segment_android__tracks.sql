{#- The android source's tracks, through the unioned column contract. -#}
with source as (

    select
        {{ fill_missing_columns(
            source('segment_android', 'tracks'),
            segment_union_columns('tracks')
        ) }}
    from {{ source('segment_android', 'tracks') }}

)

select
    *,
    'android' as source_platform
from source
