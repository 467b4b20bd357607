{#- Percent-decode a string. DuckDB has a decoder; BigQuery gets a bounded
    replace chain over the escapes that occur in URLs and UTM values (%25 last,
    so one call decodes exactly one level). -#}
{% macro url_decode(expression) -%}
    {{ return(adapter.dispatch('url_decode', 'finstack')(expression)) }}
{%- endmacro %}

{% macro default__url_decode(expression) -%}
    {%- set escapes = [
        ('20', ' '), ('21', '!'), ('22', '"'), ('23', '#'), ('24', '$'),
        ('26', '&'), ('27', "\\'"), ('28', '('), ('29', ')'), ('2A', '*'),
        ('2B', '+'), ('2C', ','), ('2F', '/'), ('3A', ':'), ('3B', ';'),
        ('3D', '='), ('3F', '?'), ('40', '@'), ('5B', '['), ('5D', ']'),
        ('7C', '|'), ('25', '%')
    ] -%}
    {%- set ns = namespace(sql=expression) -%}
    {%- for code, char in escapes -%}
        {#- one case-insensitive replace per escape (%2f and %2F) -#}
        {%- set ns.sql = "regexp_replace(" ~ ns.sql ~ ", r'(?i)%" ~ code ~ "', '" ~ char ~ "')" -%}
    {%- endfor -%}
    {{ ns.sql }}
{%- endmacro %}

{% macro duckdb__url_decode(expression) -%}
    url_decode({{ expression }})
{%- endmacro %}

{% macro bigquery__url_decode(expression) -%}
    {{ default__url_decode(expression) }}
{%- endmacro %}
