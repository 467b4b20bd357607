{#- Select a raw relation through its column contract.

    Every contract column comes out typed: the raw column cast to the contract
    type when the relation has it (matched case-insensitively), a typed NULL
    when it does not (schema drift: a loader that has not landed an optional
    column yet). Columns the contract does not list are ignored, so an
    unexpected new column never breaks a model.

    Offline compilation (target bq_offline, `--no-introspect`) cannot look at
    the relation, so it assumes every contract column exists. -#}
{% macro fill_missing_columns(source_relation, columns) -%}
    {%- set present = {} -%}
    {%- if execute and target.name != 'bq_offline' -%}
        {%- for col in adapter.get_columns_in_relation(raw_relation_of(source_relation)) -%}
            {%- do present.update({col.name | lower: col.name}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for col in columns %}
        {%- set found = (not execute) or target.name == 'bq_offline' or (col.name | lower) in present %}
        {%- if found %}
    cast({{ adapter.quote(col.name) }} as {{ col.datatype }}) as {{ adapter.quote(col.name) }}
        {%- else %}
    cast(null as {{ col.datatype }}) as {{ adapter.quote(col.name) }}
        {%- endif -%}
        {{- "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- The warehouse relation behind a source() call. In a unit test, source()
    is the fixture CTE (__dbt__cte__<source>__<table>), whose columns dbt
    takes from the real raw relation, and the graph is not available: rebuild
    that relation from the project's source convention (database
    var('raw_database'), schema var('<source>_schema'), table name as is), so
    the contract fills exactly the columns the fixture lacks. -#}
{% macro raw_relation_of(source_relation) -%}
    {%- set name = source_relation | string -%}
    {%- if model is defined and model.resource_type == 'unit_test' and name.startswith('__dbt__cte__') -%}
        {%- set source_name, table_name = name[12:].split('__', 1) -%}
        {{ return(api.Relation.create(
            database=var('raw_database'),
            schema=var(source_name ~ '_schema'),
            identifier=table_name
        )) }}
    {%- endif -%}
    {{ return(source_relation) }}
{%- endmacro %}
