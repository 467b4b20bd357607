{#- Fails (or warns) on every row of the model: for models that should be
    empty, such as quarantine. Use warn_if / error_if to set thresholds. -#}
{% test has_no_rows(model) %}

select * from {{ model }}

{% endtest %}
