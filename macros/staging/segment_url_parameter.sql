{#- A query parameter of a URL the Segment loader may have cut at 512
    characters: NULL when the URL is that long and the parameter's value
    runs to its end (the value may be cut mid-way), else the value: cleaned
    as a campaign value (url_parameter) when `as_id` is false, or for click
    and tracking ids percent-decoded once and trimmed, case kept. -#}
{% macro segment_url_parameter(url, parameter, as_id=false) -%}
    case
        when {{ dbt.length(url) }} >= 512
            and {{ regexp_extract_group(
                url, '[?&]' ~ parameter ~ '=([^&#]*)$'
            ) }} is not null
            then null
        {%- if as_id %}
        else nullif(trim({{ url_decode(url_parameter_raw(url, parameter)) }}), '')
        {%- else %}
        else {{ url_parameter(url, parameter) }}
        {%- endif %}
    end
{%- endmacro %}
