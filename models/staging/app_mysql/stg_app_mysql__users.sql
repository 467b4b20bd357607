{#- One row per app user. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('app_mysql', 'users'),
            get_app_mysql_columns('users')
        ) }}
    from {{ source('app_mysql', 'users') }}

),

renamed as (

    select
        -- keys
        public_id as user_id,
        cast(id as {{ dbt.type_string() }}) as app_user_id,
        cast(referred_by_user_id as {{ dbt.type_string() }})
            as referred_by_app_user_id,
        stripe_customer_id,
        cast(hubspot_contact_id as {{ dbt.type_string() }})
            as hubspot_contact_id,

        -- personal data (stays in staging and dim_users_pii)
        {{ normalize_email('email') }} as email,
        {{ hash_key(normalize_email('email')) }} as email_hash,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        date_of_birth,

        -- attributes
        upper(country_code) as country_code,
        lower(signup_platform) as signup_platform,
        referral_code,
        lower(kyc_status) as kyc_status,
        lower(investor_category) as investor_category,
        lower(status) as account_status,

        -- flags: MySQL tinyint(1) as booleans
        coalesce(marketing_opt_in = 1, false) as is_marketing_opt_in,
        coalesce(is_staff = 1, false) as is_staff,
        coalesce(is_test = 1, false) as is_test,
        coalesce(_fivetran_deleted, false) as _is_source_deleted,

        -- timestamps: naive UTC in MySQL
        created_at as signed_up_at,
        email_verified_at,
        kyc_approved_at,
        closed_at,
        updated_at,
        deleted_at,
        _fivetran_synced as _loaded_at

    from source

),

flagged as (

    select
        *,
        -- the app sets is_staff/is_test for only some internal accounts:
        -- the company domain and QA aliases catch the rest
        coalesce(
            is_staff
            or is_test
            or email like '%@{{ var("internal_email_domain") }}'
            or email like 'qa+%'
            or email like '%+test@%',
            false
        ) as is_internal,
        deleted_at is not null as is_deleted,
        coalesce(email like 'erased+%@invalid', false) as is_erased
    from renamed

)

select * from flagged
