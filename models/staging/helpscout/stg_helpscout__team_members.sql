{#- One row per team and agent (Help Scout team membership), from the latest
    nightly full-table sync. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('helpscout', 'team_members'),
            get_helpscout_columns('team_members')
        ) }}
    from {{ source('helpscout', 'team_members') }}

),

renamed as (

    select
        -- keys
        cast(team_id as {{ dbt.type_string() }}) as team_id,
        cast(user_id as {{ dbt.type_string() }}) as agent_id,

        -- loader metadata
        _sdc_table_version,
        _sdc_sequence,
        _sdc_batched_at as _loaded_at

    from source

),

latest_sync as (

    {# a full-table sync writes a new _sdc_table_version: memberships of
       older versions were not returned by the latest sync #}
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
            partition by team_id, agent_id
            order by _sdc_sequence desc, _loaded_at desc
        ) = 1

)

select * from deduplicated
