{#- One row per experiment and variation: analysed subjects, conversions
    within var('experiment_conversion_window_days') of the first exposure
    (milestone var('experiment_conversion_event')), the conversion rate and,
    against the control, the absolute and relative lift, the pooled
    two-proportion z-test (z, two-sided p-value) and the 95% confidence
    interval of the difference (unpooled standard error). The control is
    the variation named var('experiment_control_variation_name') ('control'
    in the Taplytics data), else the lowest variation_id (numeric order when
    the ids are numbers). Statistics are NULL on the control row and when a
    side has no analysed subject (a censored cell is NULL, not 0).

    Sample-ratio mismatch, per experiment and repeated on its rows: a
    chi-square test of exposed_count against an equal split (the data gives
    no weights), k - 1 degrees of freedom; p-value exact for two variations,
    Wilson-Hilferty for more; flagged below var('srm_p_threshold'). The
    normal CDF is an erf approximation (|error| < 1.5e-7), see the macros.
    Rates, lifts, intervals and p-values are rounded to 6 decimals, z and
    chi-square to 4; flags are computed before rounding. -#}
{%- set control_name = var(
    'experiment_control_variation_name', 'control'
) | lower -%}
{%- set srm_threshold = var('srm_p_threshold', 0.001) -%}
{%- set z_critical = 1.959963984540054 -%}

with

variations as (

    select * from {{ ref('int_experiments__variations_aggregated') }}

),

controls_ranked as (

    select
        experiment_id,
        variation_id,
        row_number() over (
            partition by experiment_id
            order by
                case
                    when lower(variation_name) = '{{ control_name }}' then 0
                    else 1
                end,
                case
                    when {{ dbt.safe_cast('variation_id', dbt.type_bigint()) }}
                        is null then 1
                    else 0
                end,
                {{ dbt.safe_cast('variation_id', dbt.type_bigint()) }},
                variation_id
        ) as control_rank
    from variations

),

controls as (

    select
        experiment_id,
        variation_id
    from controls_ranked
    where control_rank = 1

),

rated as (

    select
        variations.*,
        variations.variation_id = controls.variation_id as is_control,
        controls.variation_id as control_variation_id,
        case
            when variations.analysed_count > 0
                then cast(variations.converted_count as {{ type_double() }})
                    / variations.analysed_count
        end as conversion_rate
    from variations
    inner join controls
        on variations.experiment_id = controls.experiment_id

),

against_control as (

    select
        rated.*,
        control.analysed_count as control_analysed_count,
        control.converted_count as control_converted_count,
        control.conversion_rate as control_conversion_rate,
        case
            when not rated.is_control
                then {{ two_proportion_z_score(
                    'control.converted_count', 'control.analysed_count',
                    'rated.converted_count', 'rated.analysed_count'
                ) }}
        end as z_score,
        case
            when not rated.is_control
                and rated.analysed_count > 0
                and control.analysed_count > 0
                then sqrt(
                        control.conversion_rate
                        * (1.0 - control.conversion_rate)
                        / control.analysed_count
                        + rated.conversion_rate * (1.0 - rated.conversion_rate)
                        / rated.analysed_count
                    )
        end as difference_standard_error
    from rated
    inner join rated as control
        on
            rated.experiment_id = control.experiment_id
            and rated.control_variation_id = control.variation_id

),

tested as (

    select
        *,
        case
            when not is_control
                then conversion_rate - control_conversion_rate
        end as absolute_lift,
        case
            when not is_control and control_conversion_rate > 0
                then (conversion_rate - control_conversion_rate)
                    / control_conversion_rate
        end as relative_lift,
        2.0 * (1.0 - {{ normal_cdf('abs(z_score)') }}) as p_value
    from against_control

),

{# chi-square of exposed counts against an equal split, per experiment #}
srm_totals as (

    select
        experiment_id,
        count(*) as variation_count,
        cast(sum(exposed_count) as {{ type_double() }}) / count(*)
            as expected_count
    from variations
    group by 1

),

srm_cells as (

    select
        variations.experiment_id,
        case
            when srm_totals.expected_count > 0
                then (variations.exposed_count - srm_totals.expected_count)
                    * (variations.exposed_count - srm_totals.expected_count)
                    / srm_totals.expected_count
        end as chi_square_term
    from variations
    inner join srm_totals
        on variations.experiment_id = srm_totals.experiment_id

),

srm_chi_squares as (

    select
        experiment_id,
        sum(chi_square_term) as chi_square
    from srm_cells
    group by 1

),

srm_statistics as (

    select
        srm_totals.experiment_id,
        srm_totals.variation_count,
        srm_totals.variation_count - 1 as srm_degrees_of_freedom,
        case
            when srm_totals.variation_count > 1
                then srm_chi_squares.chi_square
        end as srm_chi_square
    from srm_totals
    inner join srm_chi_squares
        on srm_totals.experiment_id = srm_chi_squares.experiment_id

),

srm_tested as (

    select
        *,
        {{ chi_square_p_value('srm_chi_square', 'srm_degrees_of_freedom') }}
            as srm_p_value
    from srm_statistics

),

final as (

    select
        cast(tested.experiment_id as {{ dbt.type_string() }}) as experiment_id,
        cast(tested.variation_id as {{ dbt.type_string() }}) as variation_id,
        cast(tested.experiment_name as {{ dbt.type_string() }})
            as experiment_name,
        cast(tested.variation_name as {{ dbt.type_string() }})
            as variation_name,
        cast(tested.control_variation_id as {{ dbt.type_string() }})
            as control_variation_id,
        cast(tested.conversion_event as {{ dbt.type_string() }})
            as conversion_event,
        cast(tested.conversion_window_days as {{ dbt.type_bigint() }})
            as conversion_window_days,
        cast(tested.exposed_count as {{ dbt.type_bigint() }}) as exposed_count,
        cast(tested.device_subject_count as {{ dbt.type_bigint() }})
            as device_subject_count,
        cast(tested.multi_variation_count as {{ dbt.type_bigint() }})
            as multi_variation_count,
        cast(tested.internal_user_count as {{ dbt.type_bigint() }})
            as internal_user_count,
        cast(tested.converted_before_exposure_count as {{ dbt.type_bigint() }})
            as converted_before_exposure_count,
        cast(tested.analysed_count as {{ dbt.type_bigint() }})
            as analysed_count,
        cast(tested.converted_count as {{ dbt.type_bigint() }})
            as converted_count,
        cast(round(tested.conversion_rate, 6) as {{ type_double() }})
            as conversion_rate,
        cast(tested.control_analysed_count as {{ dbt.type_bigint() }})
            as control_analysed_count,
        cast(tested.control_converted_count as {{ dbt.type_bigint() }})
            as control_converted_count,
        cast(round(tested.control_conversion_rate, 6) as {{ type_double() }})
            as control_conversion_rate,
        cast(round(tested.absolute_lift, 6) as {{ type_double() }})
            as absolute_lift,
        cast(round(tested.relative_lift, 6) as {{ type_double() }})
            as relative_lift,
        cast(round(tested.z_score, 4) as {{ type_double() }}) as z_score,
        cast(round(tested.p_value, 6) as {{ type_double() }}) as p_value,
        cast(round(
            tested.absolute_lift
            - {{ z_critical }} * tested.difference_standard_error, 6
        ) as {{ type_double() }}) as difference_ci_lower,
        cast(round(
            tested.absolute_lift
            + {{ z_critical }} * tested.difference_standard_error, 6
        ) as {{ type_double() }}) as difference_ci_upper,
        cast(srm_tested.variation_count as {{ dbt.type_bigint() }})
            as variation_count,
        cast(round(srm_tested.srm_chi_square, 4) as {{ type_double() }})
            as srm_chi_square,
        cast(srm_tested.srm_degrees_of_freedom as {{ dbt.type_bigint() }})
            as srm_degrees_of_freedom,
        cast(round(srm_tested.srm_p_value, 6) as {{ type_double() }})
            as srm_p_value,
        cast(tested.is_control as {{ dbt.type_boolean() }}) as is_control,
        cast(
            case when not tested.is_control then tested.p_value < 0.05 end
            as {{ dbt.type_boolean() }}
        ) as is_significant,
        cast(
            coalesce(srm_tested.srm_p_value < {{ srm_threshold }}, false)
            as {{ dbt.type_boolean() }}
        ) as has_sample_ratio_mismatch,
        cast(tested.first_exposed_at as {{ dbt.type_timestamp() }})
            as first_exposed_at,
        cast(tested.last_exposed_at as {{ dbt.type_timestamp() }})
            as last_exposed_at,
        cast(tested.as_of_at as {{ dbt.type_timestamp() }}) as as_of_at
    from tested
    inner join srm_tested
        on tested.experiment_id = srm_tested.experiment_id

)

select * from final
