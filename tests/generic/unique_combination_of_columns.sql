{#- Grain test: no two rows share the same values of the given columns.
    Our own version of dbt_utils' test (no packages can be installed here). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with grouped as (

    select
        {{ combination_of_columns | join(', ') }},
        count(*) as n_rows
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1

)

select * from grouped

{% endtest %}
