{#- The column contract of a Segment table unioned over the four sources: every
    column any source declares for it, once, in first-seen order; a column
    the sources type differently comes out as a string. Each source's
    base model selects this list, so the union lines up and a column one source
    lacks comes out as a typed NULL. -#}
{% macro segment_union_columns(table_name) %}
    {%- set merged = [] -%}
    {%- set seen = [] -%}
    {%- set types = {} -%}
    {%- for schema in segment_schemas() -%}
        {%- set columns = context['get_' ~ schema ~ '_columns'](table_name, required=false) -%}
        {%- for col in (columns or []) -%}
            {%- if col.name not in seen -%}
                {%- do seen.append(col.name) -%}
                {%- do types.update({col.name: col.datatype}) -%}
            {%- elif types[col.name] != col.datatype -%}
                {#- sources disagree (Android sends amount as text): keep
                    the value as a string and let the model cast it -#}
                {%- do types.update({col.name: dbt.type_string()}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for name in seen -%}
        {%- do merged.append({'name': name, 'datatype': types[name]}) -%}
    {%- endfor -%}
    {{ return(merged) }}
{% endmacro %}

{#- The Segment sources (one raw schema each), in union order. -#}
{% macro segment_schemas() %}
    {{ return(['segment_web', 'segment_ios', 'segment_android', 'segment_server']) }}
{% endmacro %}
