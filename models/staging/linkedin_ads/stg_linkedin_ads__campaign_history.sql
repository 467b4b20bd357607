{#- One row per version of a LinkedIn campaign (renames, pauses, budget
    edits), the latest flagged by last_modified_time, then sync time, then
    LinkedIn's version tag. Budgets carry their own currency, so they are
    converted here: rounded to the currency's minor units, then back to
    major units through the ISO exponent. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('linkedin_ads', 'campaign_history'),
            get_linkedin_ads_columns('campaign_history')
        ) }}
    from {{ source('linkedin_ads', 'campaign_history') }}

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
        cast(source.id as {{ dbt.type_string() }}) as campaign_id,
        cast(source.account_id as {{ dbt.type_string() }}) as account_id,
        cast(source.campaign_group_id as {{ dbt.type_string() }})
            as campaign_group_id,

        -- strings
        nullif(trim(source.name), '') as campaign_name,
        lower(source.status) as campaign_status,
        lower(source.type) as campaign_type,
        lower(source.cost_type) as cost_type,
        lower(source.format) as campaign_format,
        lower(source.objective_type) as objective_type,
        lower(source.optimization_target_type) as optimization_target_type,
        upper(source.locale_country) as locale_country_code,
        lower(source.locale_language) as locale_language,
        source.version_tag,

        -- money: floats in major units of their own currency
        upper(trim(source.daily_budget_currency_code)) as currency_code,
        cast(round(
            source.daily_budget_amount * power(10, currencies.iso_exponent)
        ) as {{ dbt.type_bigint() }}) as daily_budget_amount_minor,
        {{ minor_to_major(
            'round(source.daily_budget_amount'
            ~ ' * power(10, currencies.iso_exponent))',
            'currencies.iso_exponent'
        ) }} as daily_budget_amount,
        cast(round(
            source.unit_cost_amount * power(10, unit_currencies.iso_exponent)
        ) as {{ dbt.type_bigint() }}) as unit_cost_amount_minor,
        {{ minor_to_major(
            'round(source.unit_cost_amount'
            ~ ' * power(10, unit_currencies.iso_exponent))',
            'unit_currencies.iso_exponent'
        ) }} as unit_cost_amount,
        upper(trim(source.unit_cost_currency_code)) as unit_cost_currency_code,

        -- timestamps (UTC)
        source.run_schedule_start as run_schedule_started_at,
        source.run_schedule_end as run_schedule_ended_at,
        source.created_time as created_at,
        source.last_modified_time as last_modified_at,

        -- loader metadata
        source._fivetran_synced as _loaded_at,

        -- rows that cannot be interpreted
        case
            when source.id is null then 'missing campaign id'
            when source.last_modified_time is null
                then 'missing last_modified_time'
            when
                source.daily_budget_amount is not null
                and currencies.currency_code is null
                then 'unknown currency'
            when
                source.unit_cost_amount is not null
                and unit_currencies.currency_code is null
                then 'unknown currency'
            when source.daily_budget_amount < 0 then 'negative budget'
            when source.unit_cost_amount < 0 then 'negative unit cost'
        end as quarantine_reason

    from source
    left outer join currencies
        on
            upper(trim(source.daily_budget_currency_code))
            = currencies.currency_code
    left outer join currencies as unit_currencies
        on
            upper(trim(source.unit_cost_currency_code))
            = unit_currencies.currency_code

),

versioned as (

    select
        *,
        {# ties on last_modified_time and sync time: LinkedIn's version
           tag (an increasing integer) breaks them #}
        row_number() over (
            partition by campaign_id
            order by
                last_modified_at asc nulls first,
                _loaded_at asc nulls first,
                {{ dbt.safe_cast('version_tag', dbt.type_bigint()) }}
                asc nulls first,
                campaign_name asc nulls first
        ) as version_number
    from renamed

),

flagged as (

    select
        *,
        version_number = count(*) over (
            partition by campaign_id
        ) as is_most_recent_record
    from versioned

)

select * from flagged
