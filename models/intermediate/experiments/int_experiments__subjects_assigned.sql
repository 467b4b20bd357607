{#- One row per experiment and subject: the variation of the subject's
    first exposure, when it happened, how many exposures and variations it
    saw. The subject is the stitched user, so one person on two phones
    counts once; an exposure whose device was never identified stays at the
    device level (subject_type 'device', user_id NULL, subject_id
    '<source_platform>:<anonymous_id>'). A subject shown more than one
    variation of the experiment is flagged is_multi_variation: its
    assignment is unreliable and experiment results leave it out. -#}
with

exposures as (

    select * from {{ ref('int_experiments__exposures_stitched') }}

),

milestones as (

    select * from {{ ref('int_users__milestones') }}

),

subjects_keyed as (

    select
        *,
        case
            when user_id is not null then 'user'
            else 'device'
        end as subject_type,
        coalesce(
            user_id,
            {{ dbt.concat(['source_platform', "':'", 'anonymous_id']) }}
        ) as subject_id
    from exposures

),

per_subject as (

    select
        experiment_id,
        subject_id,
        count(*) as exposure_count,
        count(distinct variation_id) as variation_count,
        max(event_at) as last_exposed_at
    from subjects_keyed
    group by 1, 2

),

first_exposures as (

    select *
    from subjects_keyed
    where true
    qualify row_number() over (
            partition by experiment_id, subject_id
            order by event_at, source_platform, event_id
        ) = 1

),

assigned as (

    select
        {{ dbt.hash(dbt.concat([
            'first_exposures.experiment_id', "'|'",
            'first_exposures.subject_id'
        ])) }} as experiment_exposure_id,
        first_exposures.experiment_id,
        first_exposures.subject_id,
        first_exposures.user_id,
        first_exposures.source_platform,
        first_exposures.anonymous_id,
        first_exposures.event_id as first_exposure_event_id,
        first_exposures.subject_type,
        first_exposures.experiment_name,
        first_exposures.variation_id,
        first_exposures.variation_name,
        per_subject.exposure_count,
        per_subject.variation_count,
        per_subject.variation_count > 1 as is_multi_variation,
        coalesce(milestones.is_internal, false) as is_internal_user,
        first_exposures.event_at as first_exposed_at,
        per_subject.last_exposed_at
    from first_exposures
    inner join per_subject
        on
            first_exposures.experiment_id = per_subject.experiment_id
            and first_exposures.subject_id = per_subject.subject_id
    left outer join milestones
        on first_exposures.user_id = milestones.user_id

)

select * from assigned
