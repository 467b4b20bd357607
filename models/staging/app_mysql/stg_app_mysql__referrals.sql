{#- One row per referral, its reward in minor and major units of its
    currency (ISO exponent). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('app_mysql', 'referrals'),
            get_app_mysql_columns('referrals')
        ) }}
    from {{ source('app_mysql', 'referrals') }}

),

currencies as (

    select
        currency_code,
        iso_exponent
    from {{ ref('iso_currencies') }}

),

renamed as (

    select
        -- keys
        cast(source.id as {{ dbt.type_string() }}) as referral_id,
        cast(source.referrer_user_id as {{ dbt.type_string() }})
            as referrer_app_user_id,
        cast(source.referee_user_id as {{ dbt.type_string() }})
            as referee_app_user_id,

        -- strings
        lower(source.status) as referral_status,
        upper(source.currency) as currency_code,

        -- numerics: reward in minor and major units
        {# minor_to_major divides decimals, a double on DuckDB: cast back #}
        source.reward_minor as reward_amount_minor,
        cast(
            {{ minor_to_major(
                'source.reward_minor', 'currencies.iso_exponent'
            ) }} as {{ type_money() }}
        ) as reward_amount,

        -- booleans
        coalesce(source._fivetran_deleted, false) as _is_source_deleted,

        -- timestamps: naive UTC in MySQL
        source.created_at,
        source.qualified_at,

        -- loader metadata
        source._fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when currencies.currency_code is null then 'unknown currency'
            when source.reward_minor < 0 then 'negative reward'
            when source.referrer_user_id = source.referee_user_id
                then 'self-referral'
            when source.created_at > source._fivetran_synced
                then 'created after it was loaded'
            when source.qualified_at < source.created_at
                then 'qualified before it was created'
        end as quarantine_reason

    from source
    left outer join currencies
        on upper(source.currency) = currencies.currency_code

)

select * from renamed
