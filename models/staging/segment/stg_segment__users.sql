{#- One row per (source_platform, user_id) of Segment's users tables (web,
    ios, android): the latest traits, email hashed. -#}
with

unioned as (

    {{ union_segment_sources('users') }}

),

renamed as (

    select
        -- keys
        {{ segment_user_id('id') }} as user_id,
        source_platform,

        -- traits
        {{ hash_key(normalize_email('email')) }} as email_hash,
        upper(trim(country_code)) as country_code,
        kyc_status,
        signup_platform,

        -- booleans
        marketing_opt_in as is_marketing_opt_in,

        -- timestamps and loader metadata
        created_at as user_created_at,
        received_at,
        uuid_ts as _loaded_at

    from unioned

),

deduplicated as (

    {#- the loader upserts by id; BigQuery can hold several copies: keep
        the latest received -#}
    select
        *,
        {{ dbt.safe_cast('user_id', dbt.type_bigint()) }} is not null
            as is_legacy_user_id
    from renamed
    where true
    qualify row_number() over (
            partition by source_platform, user_id
            order by received_at desc, _loaded_at desc
        ) = 1

)

select * from deduplicated
