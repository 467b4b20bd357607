{#- One row per Appcues flow and subject that started it (flow_started):
    first start, number of starts, whether the subject ever completed or
    skipped the flow, its outcome (completed wins over skipped; neither is
    'abandoned') and the number of distinct steps it completed. The subject
    is the stitched user; a device never identified is its own subject
    (user_id NULL, subject_id '<source_platform>:<anonymous_id>'), so
    anonymous starters are counted by device. Completions and skips count
    whenever they happened (clock skew can put them a moment before the
    start); subjects with no flow_started event are not here. -#}
with

flow_events as (

    select * from {{ ref('int_onboarding__flow_events_stitched') }}

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
    from flow_events

),

first_starts as (

    select *
    from subjects_keyed
    where flow_event = 'flow_started'
    qualify row_number() over (
            partition by flow_id, subject_id
            order by event_at, source_platform, event_id
        ) = 1

),

per_subject as (

    select
        flow_id,
        subject_id,
        sum(case when flow_event = 'flow_started' then 1 else 0 end)
            as start_count,
        count(
            distinct case
                when flow_event = 'step_completed'
                    then coalesce(
                            {{ dbt.cast('step_number', dbt.type_string()) }},
                            step_id
                        )
            end
        ) as steps_completed_count,
        min(case when flow_event = 'flow_completed' then event_at end)
            as first_completed_at,
        min(case when flow_event = 'flow_skipped' then event_at end)
            as first_skipped_at
    from subjects_keyed
    group by 1, 2

),

aggregated as (

    select
        first_starts.flow_id,
        first_starts.subject_id,
        first_starts.user_id,
        first_starts.source_platform,
        first_starts.anonymous_id,
        first_starts.subject_type,
        first_starts.flow_name,
        case
            when per_subject.first_completed_at is not null then 'completed'
            when per_subject.first_skipped_at is not null then 'skipped'
            else 'abandoned'
        end as flow_outcome,
        per_subject.start_count,
        per_subject.steps_completed_count,
        per_subject.first_completed_at is not null as has_completed,
        per_subject.first_skipped_at is not null as has_skipped,
        coalesce(milestones.is_internal, false) as is_internal_user,
        first_starts.event_at as first_started_at,
        per_subject.first_completed_at,
        per_subject.first_skipped_at
    from first_starts
    inner join per_subject
        on
            first_starts.flow_id = per_subject.flow_id
            and first_starts.subject_id = per_subject.subject_id
    left outer join milestones
        on first_starts.user_id = milestones.user_id

)

select * from aggregated
