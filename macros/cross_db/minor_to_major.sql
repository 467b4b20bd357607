{#- An amount in minor units converted to major units with the currency's
    exponent (ISO-4217 from the iso_currencies seed: JPY 0, GBP 2, KWD 3;
    Stripe's own exponent for Stripe amounts). Never a blanket / 100. -#}
{% macro minor_to_major(amount_minor, exponent) -%}
    {{ return(adapter.dispatch('minor_to_major', 'finstack')(amount_minor, exponent)) }}
{%- endmacro %}

{% macro default__minor_to_major(amount_minor, exponent) -%}
    cast(
        cast({{ amount_minor }} as {{ type_money() }})
        / cast(power(10, {{ exponent }}) as {{ type_money() }})
        as {{ type_money() }}
    )
{%- endmacro %}

{% macro duckdb__minor_to_major(amount_minor, exponent) -%}
    {{ default__minor_to_major(amount_minor, exponent) }}
{%- endmacro %}

{% macro bigquery__minor_to_major(amount_minor, exponent) -%}
    {{ default__minor_to_major(amount_minor, exponent) }}
{%- endmacro %}
