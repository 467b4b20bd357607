{#- desktop, mobile or tablet: from the mobile SDK's device type and model
    when present (iPad and 'tablet' are tablets, other mobile devices are
    mobile), else from a browser user agent (iPad, 'tablet' or Android
    without 'mobile' are tablets; 'mobi', iPhone and Android are mobile;
    any other user agent is desktop). NULL when nothing is known. Pass the
    string 'null' for arguments a source does not have. -#}
{% macro segment_device_class(user_agent, device_type, device_model) -%}
    case
        when lower({{ device_type }}) = 'tablet'
            or lower({{ device_model }}) like 'ipad%'
            then 'tablet'
        when {{ device_type }} is not null or {{ device_model }} is not null
            then 'mobile'
        when lower({{ user_agent }}) like '%ipad%'
            or lower({{ user_agent }}) like '%tablet%'
            or (
                lower({{ user_agent }}) like '%android%'
                and lower({{ user_agent }}) not like '%mobile%'
            )
            then 'tablet'
        when lower({{ user_agent }}) like '%mobi%'
            or lower({{ user_agent }}) like '%iphone%'
            or lower({{ user_agent }}) like '%android%'
            then 'mobile'
        when {{ user_agent }} is not null then 'desktop'
    end
{%- endmacro %}
