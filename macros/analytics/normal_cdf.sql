{#- The standard normal cumulative distribution function Phi(x) as a SQL
    expression, from the Abramowitz-Stegun 7.1.26 approximation of erf
    (|error| < 1.5e-7): pure arithmetic (abs, sqrt, exp), so it runs on
    DuckDB and BigQuery alike. Phi(x) = (1 + sign(x) erf(|x| / sqrt 2)) / 2
    with erf(u) = 1 - t (a1 + t (a2 + t (a3 + t (a4 + t a5)))) exp(-u^2),
    t = 1 / (1 + p u). The argument is repeated: pass a column or a simple
    expression. NULL in, NULL out. -#}
{% macro normal_cdf(x) -%}
    {%- set t -%}
        (1.0 / (1.0 + 0.3275911 * abs({{ x }}) / sqrt(2.0)))
    {%- endset -%}
    (0.5 * (1.0 + (case when ({{ x }}) < 0 then -1.0 else 1.0 end) * (
        1.0 - {{ t }} * (0.254829592 + {{ t }} * (-0.284496736
            + {{ t }} * (1.421413741 + {{ t }} * (-1.453152027
                + {{ t }} * 1.061405429))))
        * exp(-1.0 * ({{ x }}) * ({{ x }}) / 2.0)
    )))
{%- endmacro %}
