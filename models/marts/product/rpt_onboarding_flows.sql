{#- One row per Appcues flow (flow_id): subjects who started it, how many
    completed, skipped (and never completed) or abandoned it, the rates of
    each over starters, the median number of distinct steps completed, and
    the activation rate of completers against the other starters.

    Subjects are stitched users; starters never identified are counted by
    device (device_started_count) and, having no milestones, never
    activate. Internal users are left out. Activation is the milestone
    var('onboarding_activation_event') (default first_deposit) after the
    first start and at most var('onboarding_activation_window_days') days
    later. Subjects already activated at their first start are counted
    apart and left out of the activation rates; a subject whose window has
    not ended by the data cut-off (the latest received_at in
    int_events__sessionized) is censored, and a rate with no uncensored
    subject is NULL. The comparison is observational: completers
    self-select, so the difference is not the flow's effect. -#}
{%- set activation_event = milestone_var(
    'onboarding_activation_event', 'first_deposit'
) -%}
{%- set window_days = var('onboarding_activation_window_days', 30) -%}

with

subjects as (

    select * from {{ ref('int_onboarding__flow_subjects_aggregated') }}

),

milestones as (

    select * from {{ ref('int_users__milestones') }}

),

events as (

    select * from {{ ref('int_events__sessionized') }}

),

cut_off as (

    select max(received_at) as as_of_at
    from events

),

subjects_activated as (

    select
        subjects.flow_id,
        subjects.flow_name,
        subjects.subject_type,
        subjects.flow_outcome,
        subjects.steps_completed_count,
        subjects.has_completed,
        subjects.first_started_at,
        cut_off.as_of_at,
        coalesce(
            milestones.{{ activation_event }}_at <= subjects.first_started_at,
            false
        ) as is_activated_before_start,
        {{ timestamp_add('day', window_days, 'subjects.first_started_at') }}
        <= cut_off.as_of_at as is_window_complete,
        coalesce(
            milestones.{{ activation_event }}_at > subjects.first_started_at
            and milestones.{{ activation_event }}_at <= {{ timestamp_add(
                'day', window_days, 'subjects.first_started_at'
            ) }},
            false
        ) as is_activated_in_window
    from subjects
    cross join cut_off
    left outer join milestones
        on subjects.user_id = milestones.user_id
    where not subjects.is_internal_user

),

flagged as (

    select
        *,
        not is_activated_before_start and is_window_complete as is_analysed
    from subjects_activated

),

{# exact median without engine-specific percentile functions: the middle
    row, or the mean of the two middle rows #}
steps_ranked as (

    select
        flow_id,
        steps_completed_count,
        row_number() over (
            partition by flow_id
            order by steps_completed_count
        ) as steps_rank,
        count(*) over (partition by flow_id) as starter_count
    from flagged

),

step_medians as (

    select
        flow_id,
        avg(cast(steps_completed_count as {{ type_double() }}))
            as median_steps_completed
    from steps_ranked
    where
        steps_rank >= starter_count / 2.0
        and steps_rank <= starter_count / 2.0 + 1
    group by 1

),

aggregated as (

    select
        flow_id,
        max(flow_name) as flow_name,
        count(*) as started_count,
        sum(case when subject_type = 'device' then 1 else 0 end)
            as device_started_count,
        sum(case when flow_outcome = 'completed' then 1 else 0 end)
            as completed_count,
        sum(case when flow_outcome = 'skipped' then 1 else 0 end)
            as skipped_count,
        sum(case when flow_outcome = 'abandoned' then 1 else 0 end)
            as abandoned_count,
        sum(case when is_activated_before_start then 1 else 0 end)
            as activated_before_start_count,
        sum(case when is_analysed and has_completed then 1 else 0 end)
            as completed_analysed_count,
        sum(
            case
                when is_analysed and has_completed and is_activated_in_window
                    then 1
                else 0
            end
        ) as completed_activated_count,
        sum(case when is_analysed and not has_completed then 1 else 0 end)
            as not_completed_analysed_count,
        sum(
            case
                when
                    is_analysed
                    and not has_completed
                    and is_activated_in_window
                    then 1
                else 0
            end
        ) as not_completed_activated_count,
        min(first_started_at) as first_started_at,
        max(first_started_at) as last_started_at,
        max(as_of_at) as as_of_at
    from flagged
    group by 1

),

rated as (

    select
        aggregated.*,
        step_medians.median_steps_completed,
        cast(aggregated.completed_count as {{ type_double() }})
        / aggregated.started_count as completion_rate,
        cast(aggregated.skipped_count as {{ type_double() }})
        / aggregated.started_count as skip_rate,
        case
            when aggregated.completed_analysed_count > 0
                then cast(
                        aggregated.completed_activated_count
                        as {{ type_double() }}
                    ) / aggregated.completed_analysed_count
        end as completed_activation_rate,
        case
            when aggregated.not_completed_analysed_count > 0
                then cast(
                        aggregated.not_completed_activated_count
                        as {{ type_double() }}
                    ) / aggregated.not_completed_analysed_count
        end as not_completed_activation_rate
    from aggregated
    inner join step_medians
        on aggregated.flow_id = step_medians.flow_id

),

final as (

    select
        cast(flow_id as {{ dbt.type_string() }}) as flow_id,
        cast(flow_name as {{ dbt.type_string() }}) as flow_name,
        cast('{{ activation_event }}' as {{ dbt.type_string() }})
            as activation_event,
        cast({{ window_days }} as {{ dbt.type_bigint() }})
            as activation_window_days,
        cast(started_count as {{ dbt.type_bigint() }}) as started_count,
        cast(device_started_count as {{ dbt.type_bigint() }})
            as device_started_count,
        cast(completed_count as {{ dbt.type_bigint() }}) as completed_count,
        cast(skipped_count as {{ dbt.type_bigint() }}) as skipped_count,
        cast(abandoned_count as {{ dbt.type_bigint() }}) as abandoned_count,
        cast(completion_rate as {{ type_double() }}) as completion_rate,
        cast(skip_rate as {{ type_double() }}) as skip_rate,
        cast(median_steps_completed as {{ type_double() }})
            as median_steps_completed,
        cast(activated_before_start_count as {{ dbt.type_bigint() }})
            as activated_before_start_count,
        cast(completed_analysed_count as {{ dbt.type_bigint() }})
            as completed_analysed_count,
        cast(completed_activated_count as {{ dbt.type_bigint() }})
            as completed_activated_count,
        cast(completed_activation_rate as {{ type_double() }})
            as completed_activation_rate,
        cast(not_completed_analysed_count as {{ dbt.type_bigint() }})
            as not_completed_analysed_count,
        cast(not_completed_activated_count as {{ dbt.type_bigint() }})
            as not_completed_activated_count,
        cast(not_completed_activation_rate as {{ type_double() }})
            as not_completed_activation_rate,
        cast(
            completed_activation_rate - not_completed_activation_rate
            as {{ type_double() }}
        ) as activation_rate_difference,
        cast(first_started_at as {{ dbt.type_timestamp() }})
            as first_started_at,
        cast(last_started_at as {{ dbt.type_timestamp() }})
            as last_started_at,
        cast(as_of_at as {{ dbt.type_timestamp() }}) as as_of_at
    from rated

)

select * from final
