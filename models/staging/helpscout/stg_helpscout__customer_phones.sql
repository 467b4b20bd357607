{#- One row per phone number of a Help Scout customer, with a best-effort
    E.164 form (UK numbers: a leading 0 or (0) becomes +44). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('helpscout', 'customers__phones'),
            get_helpscout_columns('customers__phones')
        ) }}
    from {{ source('helpscout', 'customers__phones') }}

),

renamed as (

    select
        -- keys
        cast(_sdc_source_key_id as {{ dbt.type_string() }}) as customer_id,
        cast(id as {{ dbt.type_string() }}) as customer_phone_id,

        -- strings
        lower(type) as phone_type,

        -- personal data (stays in staging)
        nullif(trim(value), '') as phone_number,
        nullif(
            {{ regexp_replace_all(
                "replace(value, '(0)', '0')", '[^0-9+]', ''
            ) }},
            ''
        ) as phone_digits,

        -- numerics
        _sdc_level_0_id as phone_position,

        -- loader metadata
        _sdc_sequence,
        _sdc_batched_at as _loaded_at

    from source

),

current_version as (

    {# child rows carry their parent version's _sdc_sequence: keep the
       rows of the latest version of each customer #}
    select *
    from renamed
    where true
    qualify
        _sdc_sequence = max(_sdc_sequence) over (
            partition by customer_id
        )

),

normalized as (

    select
        customer_id,
        customer_phone_id,
        phone_type,
        phone_number,
        case
            when phone_digits like '+440%'
                then {{ dbt.concat(["'+44'", "substr(phone_digits, 5)"]) }}
            when phone_digits like '+%' then phone_digits
            when phone_digits like '00%'
                then {{ dbt.concat(["'+'", "substr(phone_digits, 3)"]) }}
            when phone_digits like '0%'
                then {{ dbt.concat(["'+44'", "substr(phone_digits, 2)"]) }}
        end as phone_number_e164,
        phone_position,
        _sdc_sequence,
        _loaded_at
    from current_version

)

select * from normalized
