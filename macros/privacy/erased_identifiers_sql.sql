{#- A subquery of the identifiers of one type ('user_id', 'app_user_id',
    'user_key', 'email_hash', 'hubspot_contact_id', 'stripe_customer_id',
    'helpscout_customer_id') of every erased person, from
    int_privacy__erased_identifiers_collected. Models filter with
    not_erased(column, type), which keeps NULL keys. -#}
{% macro erased_identifiers_sql(identifier_type) -%}
    select erased_identifiers.identifier_value
    from {{ ref('int_privacy__erased_identifiers_collected') }} as erased_identifiers
    where erased_identifiers.identifier_type = '{{ identifier_type }}'
{%- endmacro %}
