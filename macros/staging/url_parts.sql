{#- URL parsing shared by Segment pages and ad landing pages. -#}

{#- Host of a URL, lower-cased, without a leading www. -#}
{% macro url_host(url) -%}
    nullif(
        {{ regexp_replace_all(
            "lower(" ~ regexp_extract_group(url, '^[a-zA-Z]+://([^/?#:]+)') ~ ")",
            '^www[.]', ''
        ) }},
        ''
    )
{%- endmacro %}

{#- Path of a URL (from the first / after the host, before ? or #); '/'
    for a bare host, NULL for a NULL URL. -#}
{% macro url_path(url) -%}
    case
        when {{ url }} is not null
            then coalesce(
                {{ regexp_extract_group(url, '^[a-zA-Z]+://[^/?#]+(/[^?#]*)') }}, '/'
            )
    end
{%- endmacro %}

{#- Query string of a URL, without the ? and the #fragment. -#}
{% macro url_query(url) -%}
    {{ regexp_extract_group(url, '[?]([^#]*)') }}
{%- endmacro %}

{#- A query parameter's raw value (still percent-encoded), NULL if absent.
    The first occurrence wins when a parameter repeats. -#}
{% macro url_parameter_raw(url, parameter) -%}
    {{ regexp_extract_group(url, '[?&]' ~ parameter ~ '=([^&#]*)') }}
{%- endmacro %}

{#- A query parameter decoded as a campaign value: '+' as space,
    percent-decoded until stable (two passes handle %2520), trimmed and
    lower-cased; empty values are NULL. -#}
{% macro url_parameter(url, parameter) -%}
    {{ clean_campaign_value(url_parameter_raw(url, parameter)) }}
{%- endmacro %}

{#- The same cleaning for a UTM value already extracted (Segment's
    context_campaign_* columns, ad-platform URL tags). -#}
{% macro clean_campaign_value(expression) -%}
    nullif(lower(trim(
        {{ url_decode(url_decode("replace(" ~ expression ~ ", '+', ' ')")) }}
    )), '')
{%- endmacro %}
