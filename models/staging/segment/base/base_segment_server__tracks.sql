{#- The server source's tracks, through the unioned column contract. -#}
with source as (

    select
        {{ fill_missing_columns(
            source('segment_server', 'tracks'),
            segment_union_columns('tracks')
        ) }}
    from {{ source('segment_server', 'tracks') }}

)

select
    *,
    'server' as source_platform
from source
