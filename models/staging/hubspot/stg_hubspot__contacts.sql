{#- One row per live HubSpot contact (vid). Contacts deleted in HubSpot
    (GDPR erasures, merged-away losers whose delete Fivetran caught) are
    excluded after the column fill and counted by a test on the source.
    Merged-away losers that are still live stay in: base_hubspot__contact_merges
    maps them to their survivor. Only the properties downstream models use
    are selected; the contract fills the rest (the odd-named fillers). -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'contact'),
            get_hubspot_columns('contact')
        ) }}
    from {{ source('hubspot', 'contact') }}

),

renamed as (

    select
        -- keys
        cast(id as {{ dbt.type_string() }}) as contact_id,
        nullif(trim(property_app_user_id), '') as user_id,
        nullif(trim(property_hubspot_owner_id), '') as owner_id,

        -- personal data (stays in staging and dim_users_pii)
        {{ normalize_email('property_email') }} as email,
        {{ hash_key(normalize_email('property_email')) }} as email_hash,
        nullif(trim(property_firstname), '') as first_name,
        nullif(trim(property_lastname), '') as last_name,

        -- strings
        lower(property_lifecyclestage) as lifecycle_stage,
        lower(property_hs_lead_status) as lead_status,
        lower(property_hs_analytics_source) as analytics_source,
        nullif(property_hs_analytics_source_data_1, '')
            as analytics_source_data_1,
        nullif(property_hs_analytics_source_data_2, '')
            as analytics_source_data_2,
        nullif(property_hs_analytics_first_url, '') as first_url,
        nullif(property_hs_analytics_first_referrer, '') as first_referrer,
        lower(property_investor_category) as investor_category,
        lower(property_risk_appetite) as risk_appetite,
        lower(property_preferred_product) as preferred_product,

        -- merges: 'id;id' and 'vid:epoch_ms;...' lists of merged-away losers
        nullif(trim(property_hs_merged_object_ids), '')
            as merged_object_ids,
        nullif(trim(property_hs_calculated_merged_vids), '')
            as calculated_merged_vids,

        -- dates: date-only properties sit at midnight UTC
        cast(property_date_of_birth as date) as date_of_birth,
        cast(property_kyc_approved_date as date) as kyc_approved_date,
        cast(property_first_deposit_date as date) as first_deposit_date,

        -- timestamps (UTC)
        property_createdate as created_at,
        property_lastmodifieddate as last_modified_at,
        property_hs_analytics_first_timestamp as first_visit_at,

        -- loader metadata
        _fivetran_synced as _loaded_at,
        coalesce(_fivetran_deleted, false) as _is_source_deleted

    from source

),

live as (

    select *
    from renamed
    where not _is_source_deleted

),

flagged as (

    select
        *,
        {# the longest of the two merge lists: base_hubspot__contact_merges
           reads a bounded number of positions, a test guards the bound #}
        greatest(
            coalesce(
                {{ dbt.length('merged_object_ids') }}
                - {{ dbt.length(
                    dbt.replace('merged_object_ids', "';'", "''")
                ) }}
                + 1,
                0
            ),
            coalesce(
                {{ dbt.length('calculated_merged_vids') }}
                - {{ dbt.length(
                    dbt.replace('calculated_merged_vids', "';'", "''")
                ) }}
                + 1,
                0
            )
        ) as merged_contact_count,
        coalesce(
            email like '%@{{ var("internal_email_domain") }}', false
        ) as is_internal,
        email is not null
        and count(*) over (partition by email) > 1 as has_shared_email
    from live

)

select * from flagged
