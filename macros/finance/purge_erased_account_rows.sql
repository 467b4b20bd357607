{#- Post-hook of incremental models keyed by account_id (fct_daily_aum):
    delete the stored rows of every account owned by an erased person
    (stg_app_mysql__accounts.app_user_id among the erased app user ids).
    A rebuild leaves them out; an incremental run must delete what it
    stored before the erasure. -#}
{% macro purge_erased_account_rows() -%}
    delete from {{ this }}
    where account_id in (
        select erased_accounts.account_id
        from {{ ref('stg_app_mysql__accounts') }} as erased_accounts
        where erased_accounts.app_user_id in ({{ erased_identifiers_sql('app_user_id') }})
    )
{%- endmacro %}
