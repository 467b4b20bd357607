{#- One row per experiment and subject exposed to it (Taplytics, mobile):
    the variation of the first exposure, when it happened, how many
    exposures and distinct variations the subject saw. The subject is the
    stitched user (one person on two devices counts once; source_platform
    and anonymous_id are those of the first exposure); a device never
    identified is its own subject, with user_id NULL and subject_id
    '<source_platform>:<anonymous_id>'. Subjects shown more than one
    variation are flagged is_multi_variation and left out of
    rpt_experiment_results. Erased people and bot devices are not here. -#}
with

subjects as (

    select * from {{ ref('int_experiments__subjects_assigned') }}

),

final as (

    select
        cast(experiment_exposure_id as {{ dbt.type_string() }})
            as experiment_exposure_id,
        cast(experiment_id as {{ dbt.type_string() }}) as experiment_id,
        cast(subject_id as {{ dbt.type_string() }}) as subject_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        cast(source_platform as {{ dbt.type_string() }}) as source_platform,
        cast(anonymous_id as {{ dbt.type_string() }}) as anonymous_id,
        cast(first_exposure_event_id as {{ dbt.type_string() }})
            as first_exposure_event_id,
        cast(subject_type as {{ dbt.type_string() }}) as subject_type,
        cast(experiment_name as {{ dbt.type_string() }}) as experiment_name,
        cast(variation_id as {{ dbt.type_string() }}) as variation_id,
        cast(variation_name as {{ dbt.type_string() }}) as variation_name,
        cast(exposure_count as {{ dbt.type_bigint() }}) as exposure_count,
        cast(variation_count as {{ dbt.type_bigint() }}) as variation_count,
        cast(is_multi_variation as {{ dbt.type_boolean() }})
            as is_multi_variation,
        cast(is_internal_user as {{ dbt.type_boolean() }})
            as is_internal_user,
        cast({{ to_reporting_date('first_exposed_at') }} as date)
            as first_exposed_date,
        cast(first_exposed_at as {{ dbt.type_timestamp() }})
            as first_exposed_at,
        cast(last_exposed_at as {{ dbt.type_timestamp() }})
            as last_exposed_at
    from subjects

)

select * from final
