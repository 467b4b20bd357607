{#- One row per merged-away contact id: a loser listed by a live survivor in
    either of its merge fields (property_hs_merged_object_ids 'id;id' or
    property_hs_calculated_merged_vids 'vid:epoch_ms;...'). Each list is
    read at its first max_positions entries with dbt.split_part (a test on
    stg_hubspot__contacts.merged_contact_count guards the bound). Survivors
    come from stg_hubspot__contacts, so they are live by construction; the
    loser's own row may be deleted in HubSpot (absent from staging) or still
    live (a duplicate person downstream must drop). -#}
{%- set max_positions = 10 -%}

with

contacts as (

    select
        contact_id,
        merged_object_ids,
        calculated_merged_vids
    from {{ ref('stg_hubspot__contacts') }}

),

survivors as (

    select
        contact_id,
        merged_object_ids,
        calculated_merged_vids
    from contacts
    where
        merged_object_ids is not null
        or calculated_merged_vids is not null

),

listed_in_object_ids as (

    {% for position in range(1, max_positions + 1) -%}
    select
        contact_id as merged_into_contact_id,
        trim(
            {{ dbt.split_part('merged_object_ids', "';'", position) }}
        ) as listed_contact_id
    from survivors
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

listed_in_merged_vids as (

    {% for position in range(1, max_positions + 1) -%}
    select
        contact_id as merged_into_contact_id,
        trim(
            {{ dbt.split_part('calculated_merged_vids', "';'", position) }}
        ) as vid_entry
    from survivors
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

listings as (

    select
        merged_into_contact_id,
        listed_contact_id as contact_id,
        cast(null as {{ dbt.type_timestamp() }}) as merged_at,
        true as is_in_merged_object_ids,
        false as is_in_calculated_merged_vids
    from listed_in_object_ids

    union all

    select
        merged_into_contact_id,
        trim({{ dbt.split_part('vid_entry', "':'", 1) }}) as contact_id,
        {{ epoch_ms_to_timestamp(
            "cast(" ~ regexp_extract_group(
                "trim(" ~ dbt.split_part('vid_entry', "':'", 2) ~ ")",
                '^([0-9]+)$'
            ) ~ " as " ~ dbt.type_bigint() ~ ")"
        ) }} as merged_at,
        false as is_in_merged_object_ids,
        true as is_in_calculated_merged_vids
    from listed_in_merged_vids

),

merge_pairs as (

    select
        contact_id,
        merged_into_contact_id,
        max(merged_at) as merged_at,
        {{ dbt.bool_or('is_in_merged_object_ids') }}
            as is_in_merged_object_ids,
        {{ dbt.bool_or('is_in_calculated_merged_vids') }}
            as is_in_calculated_merged_vids
    from listings
    where
        contact_id is not null
        and contact_id != ''
        and contact_id != merged_into_contact_id
    group by 1, 2

),

deduplicated as (

    {# a loser listed by two survivors: the latest merge wins #}
    select *
    from merge_pairs
    where true
    qualify row_number() over (
            partition by contact_id
            order by merged_at desc nulls last, merged_into_contact_id asc
        ) = 1

),

final as (

    select
        deduplicated.contact_id,
        deduplicated.merged_into_contact_id,
        deduplicated.is_in_merged_object_ids,
        deduplicated.is_in_calculated_merged_vids,
        true as is_merged_away,
        contacts.contact_id is not null as has_live_contact_row,
        deduplicated.merged_at
    from deduplicated
    left outer join contacts
        on deduplicated.contact_id = contacts.contact_id

)

select * from final
