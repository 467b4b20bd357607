{#- The upper-tail p-value P(X >= statistic) of a chi-square distribution
    with the given degrees of freedom, as a SQL expression built on
    normal_cdf. One degree of freedom: exact through the normal
    distribution, 2 (1 - Phi(sqrt(x))). More: the Wilson-Hilferty
    approximation, (x / k)^(1/3) approximately normal with mean
    1 - 2 / (9k) and variance 2 / (9k), good to about 3 decimals in the
    tail region used for sample-ratio checks. NULL when the statistic is
    NULL or there is less than one degree of freedom. -#}
{% macro chi_square_p_value(statistic, degrees_of_freedom) -%}
    {%- set x = 'cast(' ~ statistic ~ ' as ' ~ type_double() ~ ')' -%}
    {%- set k = 'cast(' ~ degrees_of_freedom ~ ' as ' ~ type_double() ~ ')' -%}
    {%- set wilson_hilferty -%}
        ((power({{ x }} / {{ k }}, 1.0 / 3.0) - (1.0 - 2.0 / (9.0 * {{ k }})))
            / sqrt(2.0 / (9.0 * {{ k }})))
    {%- endset -%}
    (case
        when {{ x }} is null or {{ k }} is null or {{ k }} < 1 then null
        when {{ k }} = 1
            then 2.0 * (1.0 - {{ normal_cdf('sqrt(' ~ x ~ ')') }})
        else 1.0 - {{ normal_cdf(wilson_hilferty) }}
    end)
{%- endmacro %}
