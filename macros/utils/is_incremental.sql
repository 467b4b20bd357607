{#- dbt's is_incremental(), except in the offline BigQuery check (target
    bq_offline): there it compiles the incremental branch without asking
    the warehouse whether the table exists (no connection offline), so the
    GoogleSQL parse covers the more complex SQL. Otherwise dbt's own logic,
    unchanged. -#}
{% macro is_incremental() %}
    {% if not execute %}
        {{ return(false) }}
    {% elif target.name == 'bq_offline' %}
        {{ return(model.config.materialized == 'incremental') }}
    {% else %}
        {% set relation = adapter.get_relation(this.database, this.schema, this.table) %}
        {{ return(relation is not none
                  and relation.type == 'table'
                  and model.config.materialized == 'incremental'
                  and not should_full_refresh()) }}
    {% endif %}
{% endmacro %}
