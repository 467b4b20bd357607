{#- One row per search term, match type, keyword, ad, account-zone day,
    network and device; ids the connector left NULL are parsed from the
    resource names. -#}
{%- set customer_pattern = '^customers/([0-9]+)/' -%}
{%- set ad_group_pattern = '^customers/[0-9]+/adGroups/([0-9]+)$' -%}
{%- set criterion_ad_group_pattern =
    '^customers/[0-9]+/adGroupCriteria/([0-9]+)~[0-9]+$' -%}
{%- set criterion_pattern =
    '^customers/[0-9]+/adGroupCriteria/[0-9]+~([0-9]+)$' -%}
{%- set ad_group_criterion_pattern =
    '^customers/[0-9]+/adGroupCriteria/([0-9]+~[0-9]+)$' -%}
{%- set ad_group_id_column = "nullif(trim(ad_group_id), '')" -%}
{%- set ad_group_id_from_ad_group =
    regexp_extract_group('ad_group', ad_group_pattern) -%}
{%- set ad_group_id_from_criterion = regexp_extract_group(
    'keyword_ad_group_criterion', criterion_ad_group_pattern
) -%}
with

source as (

    select
        {{ fill_missing_columns(
            source('google_ads', 'search_term_keyword_stats'),
            get_google_ads_columns('search_term_keyword_stats')
        ) }}
    from {{ source('google_ads', 'search_term_keyword_stats') }}

),

renamed as (

    select
        -- keys: ids from the resource names when the id column is NULL
        cast(ad_id as {{ dbt.type_string() }}) as ad_id,
        coalesce(
            {{ ad_group_id_column }},
            {{ ad_group_id_from_ad_group }},
            {{ ad_group_id_from_criterion }}
        ) as ad_group_id,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        coalesce(
            cast(customer_id as {{ dbt.type_string() }}),
            {{ regexp_extract_group('ad_group', customer_pattern) }},
            {{ regexp_extract_group(
                'keyword_ad_group_criterion', customer_pattern
            ) }}
        ) as account_id,
        coalesce(
            {{ regexp_extract_group(
                'keyword_ad_group_criterion', ad_group_criterion_pattern
            ) }},
            {{ dbt.concat([
                'coalesce(' ~ ad_group_id_column ~ ', '
                ~ ad_group_id_from_ad_group ~ ')',
                "'~'",
                'cast(ad_group_criterion_criterion_id as '
                ~ dbt.type_string() ~ ')',
            ]) }}
        ) as ad_group_criterion_id,
        coalesce(
            cast(ad_group_criterion_criterion_id as {{ dbt.type_string() }}),
            {{ regexp_extract_group(
                'keyword_ad_group_criterion', criterion_pattern
            ) }}
        ) as criterion_id,

        -- strings
        case
            when {{ ad_group_id_column }} is not null then 'ad_group_id'
            when {{ ad_group_id_from_ad_group }} is not null then 'ad_group'
            when {{ ad_group_id_from_criterion }} is not null
                then 'keyword_ad_group_criterion'
        end as ad_group_id_origin,
        ad_group as ad_group_resource_name,
        keyword_ad_group_criterion as ad_group_criterion_resource_name,
        search_term,
        lower(search_term_match_type) as search_term_match_type,
        lower(status) as search_term_status,
        lower(ad_network_type) as ad_network_type,
        lower(device) as device,

        -- numerics: money in the account's currency (account_id)
        cost_micros as spend_amount_micros,
        cast(
            cast(cost_micros as {{ type_money() }}) / 1000000
            as {{ type_money() }}
        ) as spend_amount,
        impressions as impression_count,
        clicks as click_count,
        interactions as interaction_count,
        conversions,
        cast(conversions_value as {{ type_money() }})
            as conversion_value_amount,
        view_through_conversions as view_through_conversion_count,

        -- dates: the account's time zone
        {{ adapter.quote('date') }} as report_date,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

),

flagged as (

    select
        *,
        case
            when ad_id is null then 'missing ad id'
            when ad_group_id is null then 'unresolved ad group'
            when criterion_id is null then 'unresolved criterion'
            when search_term is null then 'missing search term'
            when account_id is null then 'missing account id'
            when report_date is null then 'missing report date'
            when
                spend_amount_micros < 0
                or impression_count < 0
                or click_count < 0
                or conversions < 0
                then 'negative metric'
        end as quarantine_reason
    from renamed

)

select * from flagged
