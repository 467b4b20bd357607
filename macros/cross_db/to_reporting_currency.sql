{#- An amount in major units converted to the reporting currency (GBP) with
    a rate in units of the currency per reporting unit
    (int_fx_rates__daily_filled.units_per_reporting_unit). The one place
    the division and its rounding are written. -#}
{% macro to_reporting_currency(amount, units_per_reporting_unit) -%}
    cast(
        round({{ amount }} / {{ units_per_reporting_unit }}, 6)
        as {{ type_money() }}
    )
{%- endmacro %}
