{#- One row per version of a Google Ads campaign (renames, pauses), the
    latest flagged by updated_at then sync time. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('google_ads', 'campaign_history'),
            get_google_ads_columns('campaign_history')
        ) }}
    from {{ source('google_ads', 'campaign_history') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as campaign_id,
        cast(customer_id as {{ dbt.type_string() }}) as account_id,

        -- strings
        nullif(trim(name), '') as campaign_name,
        lower(status) as campaign_status,
        lower(serving_status) as serving_status,
        lower(advertising_channel_type) as advertising_channel_type,
        lower(advertising_channel_subtype) as advertising_channel_subtype,
        nullif(trim(tracking_url_template), '') as tracking_url_template,

        -- booleans
        coalesce(
            tracking_url_template like '%{campaignid}%', false
        ) as has_campaign_id_tracking,

        -- dates: Google's 2037-12-30 means no end date
        {{ dbt.safe_cast('start_date', 'date') }} as start_date,
        nullif(
            {{ dbt.safe_cast('end_date', 'date') }},
            cast('2037-12-30' as date)
        ) as end_date,

        -- timestamps (UTC)
        updated_at,

        -- loader metadata
        _fivetran_active as _is_source_active,
        _fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when id is null then 'missing campaign id'
            when updated_at is null then 'missing updated_at'
            when
                start_date is not null
                and {{ dbt.safe_cast('start_date', 'date') }} is null
                then 'unparseable start date'
            when
                end_date is not null
                and {{ dbt.safe_cast('end_date', 'date') }} is null
                then 'unparseable end date'
        end as quarantine_reason

    from source

),

versioned as (

    select
        *,
        {# ties on updated_at and sync time: the loader flag breaks them
           only then, the name makes the order deterministic #}
        row_number() over (
            partition by campaign_id
            order by
                updated_at asc nulls first,
                _loaded_at asc nulls first,
                _is_source_active asc nulls first,
                campaign_name asc nulls first
        ) as version_number,
        row_number() over (
            partition by campaign_id
            order by
                updated_at desc nulls last,
                _loaded_at desc nulls last,
                _is_source_active desc nulls last,
                campaign_name desc nulls last
        ) = 1 as is_most_recent_record
    from renamed

)

select * from versioned
