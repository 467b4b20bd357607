{#- A select of one row per day from start_date to end_date inclusive
    (SQL date expressions, scalar subqueries allowed), in column `day`.
    dbt.date_spine counts the days with a query at compile time, which the
    offline BigQuery compile cannot run. -#}
{% macro day_series(start_date, end_date) -%}
    {{ return(adapter.dispatch('day_series', 'finstack')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__day_series(start_date, end_date) -%}
    select cast(series.day_at as date) as day
    from (
        select unnest(generate_series(
            cast({{ start_date }} as timestamp),
            cast({{ end_date }} as timestamp),
            interval 1 day
        )) as day_at
    ) as series
{%- endmacro %}

{% macro bigquery__day_series(start_date, end_date) -%}
    select day
    from unnest(generate_date_array(
        cast({{ start_date }} as date), cast({{ end_date }} as date)
    )) as day
{%- endmacro %}
