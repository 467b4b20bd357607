{#- One row per Help Scout team of agents, from the latest nightly
    full-table sync. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('helpscout', 'teams'),
            get_helpscout_columns('teams')
        ) }}
    from {{ source('helpscout', 'teams') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as team_id,

        -- strings (teams have no email in Help Scout)
        name as team_name,
        lower(slug) as team_slug,

        -- timestamps
        created_at,
        updated_at,

        -- loader metadata
        _sdc_table_version,
        _sdc_sequence,
        _sdc_batched_at as _loaded_at

    from source

),

latest_sync as (

    {# a full-table sync writes a new _sdc_table_version: rows of older
       versions were not returned by the latest sync #}
    select *
    from renamed
    where true
    qualify
        coalesce(_sdc_table_version, -1)
        = max(coalesce(_sdc_table_version, -1)) over ()

),

deduplicated as (

    select *
    from latest_sync
    where true
    qualify
        row_number() over (
            partition by team_id
            order by _sdc_sequence desc, _loaded_at desc
        ) = 1

)

select * from deduplicated
