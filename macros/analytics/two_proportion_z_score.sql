{#- The pooled two-proportion z statistic of treatment against control,
    as a SQL expression: (p_t - p_c) / sqrt(p (1 - p) (1/n_c + 1/n_t)) with
    p = (x_c + x_t) / (n_c + n_t). NULL when either group is empty or the
    pooled standard error is 0 (both rates 0, or both 1). Positive when the
    treatment converts more. Two-sided p-value:
    2 * (1 - normal_cdf(abs(z))). -#}
{% macro two_proportion_z_score(
    control_successes, control_trials, treatment_successes, treatment_trials
) -%}
    {%- set xc = 'cast(' ~ control_successes ~ ' as ' ~ type_double() ~ ')' -%}
    {%- set nc = 'cast(' ~ control_trials ~ ' as ' ~ type_double() ~ ')' -%}
    {%- set xt = 'cast(' ~ treatment_successes
        ~ ' as ' ~ type_double() ~ ')' -%}
    {%- set nt = 'cast(' ~ treatment_trials ~ ' as ' ~ type_double() ~ ')' -%}
    {%- set pooled = '((' ~ xc ~ ' + ' ~ xt ~ ') / ('
        ~ nc ~ ' + ' ~ nt ~ '))' -%}
    (case
        when {{ nc }} > 0 and {{ nt }} > 0
            and {{ pooled }} > 0 and {{ pooled }} < 1
            then ({{ xt }} / {{ nt }} - {{ xc }} / {{ nc }})
                / sqrt(
                    {{ pooled }} * (1.0 - {{ pooled }})
                    * (1.0 / {{ nc }} + 1.0 / {{ nt }})
                )
    end)
{%- endmacro %}
