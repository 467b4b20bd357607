{#- The median of a numeric expression as an aggregate (usable with group
    by) on both engines: exact on DuckDB (quantile_cont, interpolating
    between the two middle values), approximate on BigQuery, whose exact
    percentile_cont is only an analytic function there; approx_quantiles
    with 1000 buckets is within 0.1 % in rank of the true median. NULLs are
    ignored; the result is NULL when every value is NULL. -#}
{% macro approx_median(expression) -%}
    {{ return(adapter.dispatch('approx_median', 'finstack')(expression)) }}
{%- endmacro %}

{% macro default__approx_median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__approx_median(expression) -%}
    quantile_cont({{ expression }}, 0.5)
{%- endmacro %}

{% macro bigquery__approx_median(expression) -%}
    approx_quantiles({{ expression }}, 1000)[offset(500)]
{%- endmacro %}
