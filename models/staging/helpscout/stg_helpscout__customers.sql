{#- One row per Help Scout customer. Stitch split age into age (integer) and
    age__st (string): both are coalesced into one integer. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('helpscout', 'customers'),
            get_helpscout_columns('customers')
        ) }}
    from {{ source('helpscout', 'customers') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as customer_id,

        -- strings
        nullif(lower(gender), 'unknown') as gender,
        nullif(lower(photo_type), 'unknown') as photo_type,
        upper(address__country) as address_country_code,
        case
            when age is not null then 'age'
            when age__st is not null then 'age__st'
        end as age_source_column,

        -- personal data (stays in staging)
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        nullif(trim(job_title), '') as job_title,
        nullif(trim(location), '') as customer_location,
        nullif(trim(organization), '') as organization,
        nullif(trim(background), '') as background,
        photo_url,
        nullif(trim(address__city), '') as address_city,
        nullif(trim(address__state), '') as address_state,
        upper(nullif(trim(address__postal_code), '')) as address_postal_code,

        -- numerics: the type-split sibling columns as one integer
        {# dbt.safe_cast is a plain cast on DuckDB: read digits only #}
        coalesce(
            age,
            cast(
                {{ regexp_extract_group('trim(age__st)', '^([0-9]{1,3})$') }}
                as {{ dbt.type_bigint() }}
            )
        ) as age_years,

        -- timestamps
        created_at,
        updated_at,

        -- loader metadata
        _sdc_sequence,
        _sdc_batched_at as _loaded_at

    from source

),

deduplicated as (

    select *
    from renamed
    where true
    qualify
        row_number() over (
            partition by customer_id
            order by _sdc_sequence desc, _loaded_at desc
        ) = 1

)

select * from deduplicated
