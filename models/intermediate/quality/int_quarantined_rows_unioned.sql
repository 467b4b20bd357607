{#- One row per staging row that could not be interpreted (unknown
    currency, impossible amount or timestamp, ...), with the model, the row's
    key and the reason. Staging keeps such rows with a quarantine_reason and
    downstream models filter them out; this model makes sure none is lost
    silently. The list below names every model that declares
    meta.quarantine_key (a pytest guard keeps it complete); the key
    expression comes from that meta. One union branch per model: fifty
    import CTEs would say nothing more. -#}
{%- set quarantining_models = [
    'stg_app_mysql__accounts',
    'stg_app_mysql__products',
    'stg_app_mysql__product_rates',
    'stg_app_mysql__investments',
    'stg_app_mysql__transactions',
    'stg_app_mysql__ledger_entries',
    'stg_app_mysql__currencies',
    'stg_app_mysql__fx_rates',
    'stg_app_mysql__referrals',
    'stg_facebook_ads__account_history',
    'stg_facebook_ads__campaign_history',
    'stg_facebook_ads__ad_set_history',
    'stg_facebook_ads__ad_history',
    'stg_facebook_ads__creative_history',
    'stg_facebook_ads__basic_ad',
    'stg_facebook_ads__basic_ad_actions',
    'stg_facebook_ads__basic_ad_action_values',
    'stg_google_ads__account_history',
    'stg_google_ads__campaign_history',
    'stg_google_ads__ad_group_history',
    'stg_google_ads__ad_history',
    'stg_google_ads__ad_group_criterion_history',
    'stg_google_ads__account_stats',
    'stg_google_ads__campaign_stats',
    'stg_google_ads__ad_group_stats',
    'stg_google_ads__ad_stats',
    'stg_google_ads__keyword_stats',
    'stg_google_ads__search_term_keyword_stats',
    'stg_helpscout__conversations',
    'stg_helpscout__conversation_threads',
    'stg_helpscout__happiness_ratings',
    'stg_hubspot__deals',
    'stg_linkedin_ads__account_history',
    'stg_linkedin_ads__campaign_group_history',
    'stg_linkedin_ads__campaign_history',
    'stg_linkedin_ads__creative_history',
    'stg_linkedin_ads__ad_analytics_by_creative',
    'stg_linkedin_ads__ad_analytics_by_campaign',
    'stg_segment__deposit_initiated',
    'stg_segment__deposit_completed',
    'stg_segment__investment_placed',
    'stg_segment__invested',
    'stg_segment__investment_confirmed',
    'stg_segment__withdrawal_requested',
    'stg_stripe__charges',
    'stg_stripe__payment_intents',
    'stg_stripe__refunds',
    'stg_stripe__balance_transactions',
    'stg_stripe__fees',
    'stg_stripe__customers',
    'stg_stripe__payouts',
    'stg_stripe__disputes',
] -%}

with

unioned as (

    -- sqlfluff checks each rendered loop iteration's indent against the
    -- template and cannot agree with itself here
    -- noqa: disable=LT02
    {% for name in quarantining_models -%}
    select
        '{{ name }}' as model_name,
        cast({{ quarantine_key_of(name) }} as {{ dbt.type_string() }})
            as row_key,
        quarantine_reason
    from {{ ref(name) }}
    where quarantine_reason is not null
    {% if not loop.last -%}
    union all
    {% endif -%}
    {%- endfor %}
    -- noqa: enable=LT02

)

select * from unioned
