{#- Plain text of an HTML fragment (Help Scout thread bodies): inline tags
    (a, b, i, em, strong, span, u) are removed, every other tag becomes a
    space, the entities the editor writes are decoded (&amp; last, so
    '&amp;gt;' stays '&gt;'), whitespace runs collapse to one space, the
    result is trimmed and an empty text is NULL. Built on regexp_replace_all;
    the engines differ only in how a quote is written in a string literal. -#}
{% macro strip_html(expression) -%}
    {{ return(adapter.dispatch('strip_html', 'finstack')(expression)) }}
{%- endmacro %}

{% macro default__strip_html(expression, apostrophe="''''") -%}
    {#- entity -> SQL literal of its character, &amp; last -#}
    {%- set entities = [
        ('&nbsp;', "' '"),
        ('&lt;', "'<'"),
        ('&gt;', "'>'"),
        ('&quot;', "'\"'"),
        ('&#34;', "'\"'"),
        ('&#39;', apostrophe),
        ('&#x27;', apostrophe),
        ('&apos;', apostrophe),
        ('&pound;', "'£'"),
        ('&euro;', "'€'"),
        ('&amp;', "'&'"),
    ] -%}
    {%- set inline_removed = regexp_replace_all(
        expression, '</?(a|b|em|i|span|strong|u)( [^>]*)?>', ''
    ) -%}
    {#- a namespace: a plain set inside the loop would not outlive it -#}
    {%- set ns = namespace(
        text=regexp_replace_all(inline_removed, '<[^>]*>', ' ')
    ) -%}
    {%- for entity, literal in entities -%}
        {%- set ns.text = "replace(" ~ ns.text ~ ", '" ~ entity ~ "', " ~ literal ~ ")" -%}
    {%- endfor -%}
    nullif(trim({{ regexp_replace_all(ns.text, '[[:space:]]+', ' ') }}), '')
{%- endmacro %}

{% macro duckdb__strip_html(expression) -%}
    {{ default__strip_html(expression, apostrophe="''''") }}
{%- endmacro %}

{% macro bigquery__strip_html(expression) -%}
    {#- GoogleSQL escapes a quote with a backslash, not by doubling it -#}
    {{ default__strip_html(expression, apostrophe="'\\''") }}
{%- endmacro %}
