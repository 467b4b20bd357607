{#- The acquisition milestone a var names (signed_up, kyc_approved,
    first_deposit or first_investment; int_users__milestones has a
    <milestone>_at column for each), checked so that a typo fails at
    compile time with the allowed values instead of deep in SQL. -#}
{% macro milestone_var(var_name, default) -%}
    {%- set milestone = var(var_name, default) -%}
    {%- set allowed = ['signed_up', 'kyc_approved', 'first_deposit', 'first_investment'] -%}
    {%- if milestone not in allowed -%}
        {{ exceptions.raise_compiler_error(
            var_name ~ " must be one of " ~ allowed | join(', ') ~ "; got " ~ milestone
        ) }}
    {%- endif -%}
    {{ return(milestone) }}
{%- endmacro %}
