{#- One row per form submission (conversion) of a contact. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('hubspot', 'contact_form_submission'),
            get_hubspot_columns('contact_form_submission')
        ) }}
    from {{ source('hubspot', 'contact_form_submission') }}

),

renamed as (

    select
        -- keys
        conversion_id as form_submission_id,
        form_id,
        cast(contact_id as {{ dbt.type_string() }}) as contact_id,

        -- strings
        page_url,
        {{ url_path('page_url') }} as page_path,
        title as page_title,

        -- timestamps (UTC)
        {{ adapter.quote('timestamp') }} as submitted_at,

        -- loader metadata
        _fivetran_synced as _loaded_at

    from source

),

deduplicated as (

    select *
    from renamed
    where true
    qualify row_number() over (
            partition by form_submission_id
            order by _loaded_at desc
        ) = 1

)

select * from deduplicated
