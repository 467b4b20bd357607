{#- One row per rate version of a product. Intervals are compared with
    their neighbours (previous and next by valid_from) to flag overlaps and
    gaps; nothing is repaired here. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('app_mysql', 'product_rates'),
            get_app_mysql_columns('product_rates')
        ) }}
    from {{ source('app_mysql', 'product_rates') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as product_rate_id,
        cast(product_id as {{ dbt.type_string() }}) as product_id,

        -- numerics
        annual_rate_bps,
        cast(annual_rate_bps / 10000 as {{ type_money() }}) as annual_rate,

        -- booleans
        coalesce(_fivetran_deleted, false) as _is_source_deleted,

        -- timestamps: naive UTC in MySQL; valid_to NULL = open-ended
        valid_from as valid_from_at,
        valid_to as valid_to_at,
        created_at,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

),

neighbours as (

    select
        *,
        lag(valid_to_at) over (
            partition by product_id
            order by valid_from_at, created_at, product_rate_id
        ) as previous_valid_to_at,
        lead(valid_from_at) over (
            partition by product_id
            order by valid_from_at, created_at, product_rate_id
        ) as next_valid_from_at,
        row_number() over (
            partition by product_id
            order by valid_from_at, created_at, product_rate_id
        ) as version_number,
        row_number() over (
            partition by product_id
            order by valid_from_at desc, created_at desc, _loaded_at desc
        ) as recency_rank
    from renamed

),

flagged as (

    select
        product_rate_id,
        product_id,
        annual_rate_bps,
        annual_rate,
        version_number,
        _is_source_deleted,
        recency_rank = 1 as is_most_recent_record,
        {# an open-ended version overlaps any version that starts later #}
        coalesce(
            previous_valid_to_at > valid_from_at
            or (version_number > 1 and previous_valid_to_at is null)
            or coalesce(
                valid_to_at > next_valid_from_at,
                valid_to_at is null and next_valid_from_at is not null
            ),
            false
        ) as has_overlap,
        coalesce(previous_valid_to_at < valid_from_at, false)
            as has_gap_before,
        valid_from_at,
        valid_to_at,
        next_valid_from_at,
        created_at,
        _loaded_at,
        case
            when valid_from_at is null then 'missing valid_from'
            when annual_rate_bps is null then 'missing rate'
            when annual_rate_bps < 0 then 'negative rate'
            when valid_to_at <= valid_from_at
                then 'interval ends before it starts'
        end as quarantine_reason
    from neighbours

)

select * from flagged
