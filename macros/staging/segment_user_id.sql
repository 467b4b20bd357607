{#- Segment user ids as clients send them, with the placeholders some SDK
    builds send for "no user" turned into NULL. -#}
{% macro segment_user_id(column) -%}
    case
        when trim({{ column }}) in ('', 'null', 'undefined', '0', 'None')
            then null
        else trim({{ column }})
    end
{%- endmacro %}
