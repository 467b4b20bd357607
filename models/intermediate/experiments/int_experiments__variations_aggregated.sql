{#- One row per experiment and variation (the subject's first-exposure
    variation) with the counts the results are computed from.

    Population: subjects of int_experiments__subjects_assigned that saw a
    single variation and are not internal users. Conversion is the
    milestone var('experiment_conversion_event') (signed_up, kyc_approved,
    first_deposit, first_investment) from int_users__milestones, counted
    when it happened after the first exposure and at most
    var('experiment_conversion_window_days') days later. Subjects who had
    converted at or before their first exposure cannot convert again: they
    are counted apart and left out of the analysed population. A subject
    whose window has not ended by the data cut-off (the latest received_at
    in int_events__sessionized: Segment's clock, so one future-dated event
    cannot move it) is censored: in exposed_count, not in analysed_count.
    Device-level subjects (never identified) have no milestones, so they
    count as not converted. -#}
{%- set conversion_event = milestone_var(
    'experiment_conversion_event', 'first_deposit'
) -%}
{%- set window_days = var('experiment_conversion_window_days', 14) -%}

with

subjects as (

    select * from {{ ref('int_experiments__subjects_assigned') }}

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

subjects_converted as (

    select
        subjects.experiment_id,
        subjects.variation_id,
        subjects.experiment_name,
        subjects.variation_name,
        subjects.subject_type,
        subjects.is_multi_variation,
        subjects.is_internal_user,
        subjects.first_exposed_at,
        cut_off.as_of_at,
        coalesce(
            milestones.{{ conversion_event }}_at <= subjects.first_exposed_at,
            false
        ) as is_converted_before_exposure,
        {{ timestamp_add('day', window_days, 'subjects.first_exposed_at') }}
        <= cut_off.as_of_at as is_window_complete,
        coalesce(
            milestones.{{ conversion_event }}_at > subjects.first_exposed_at
            and milestones.{{ conversion_event }}_at <= {{ timestamp_add(
                'day', window_days, 'subjects.first_exposed_at'
            ) }},
            false
        ) as is_converted_in_window
    from subjects
    cross join cut_off
    left outer join milestones
        on subjects.user_id = milestones.user_id

),

flagged as (

    select
        *,
        not is_multi_variation and not is_internal_user as is_in_population,
        not is_multi_variation
        and not is_internal_user
        and not is_converted_before_exposure
        and is_window_complete as is_analysed
    from subjects_converted

),

aggregated as (

    select
        experiment_id,
        variation_id,
        max(experiment_name) as experiment_name,
        max(variation_name) as variation_name,
        '{{ conversion_event }}' as conversion_event,
        {{ window_days }} as conversion_window_days,
        sum(case when is_in_population then 1 else 0 end) as exposed_count,
        sum(
            case
                when is_in_population and subject_type = 'device' then 1
                else 0
            end
        ) as device_subject_count,
        sum(case when is_multi_variation then 1 else 0 end)
            as multi_variation_count,
        sum(
            case
                when is_internal_user and not is_multi_variation then 1
                else 0
            end
        ) as internal_user_count,
        sum(
            case
                when is_in_population and is_converted_before_exposure then 1
                else 0
            end
        ) as converted_before_exposure_count,
        sum(case when is_analysed then 1 else 0 end) as analysed_count,
        sum(
            case when is_analysed and is_converted_in_window then 1 else 0 end
        ) as converted_count,
        min(first_exposed_at) as first_exposed_at,
        max(first_exposed_at) as last_exposed_at,
        max(as_of_at) as as_of_at
    from flagged
    group by 1, 2

)

select * from aggregated
