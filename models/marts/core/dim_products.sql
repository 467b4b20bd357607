{#- One row per investable product: type, risk band, currency, term and
    notice, investment limits, launch and retirement, its current annual
    rate (the latest valid version in stg_app_mysql__product_rates, else
    the rate on the product row) and its current assets under management
    (investment and ISA holdings on the ledger's last day, in GBP, erased
    people's money included). Quarantined or source-deleted products stay,
    flagged, because ledger lines may still point at them. -#}
with

products as (

    select
        product_id,
        product_code,
        product_name,
        product_type,
        risk_band,
        currency_code,
        annual_rate_bps,
        term_days,
        notice_days,
        min_investment_amount_minor,
        min_investment_amount,
        max_investment_amount_minor,
        max_investment_amount,
        is_isa_eligible,
        is_active,
        quarantine_reason,
        _is_source_deleted,
        launched_at,
        retired_at
    from {{ ref('stg_app_mysql__products') }}

),

product_rates as (

    select
        product_id,
        annual_rate_bps,
        valid_from_at,
        created_at,
        _loaded_at
    from {{ ref('stg_app_mysql__product_rates') }}
    where quarantine_reason is null and not _is_source_deleted

),

product_balances as (

    select
        balance_date,
        product_id,
        balance_gbp,
        account_count
    from {{ ref('int_ledger__product_balances_daily') }}
    where holding_type in ('investment', 'isa')

),

{# the latest valid version; history ties broken as in staging #}
current_rates as (

    select *
    from product_rates
    where true
    qualify
        row_number() over (
            partition by product_id
            order by valid_from_at desc, created_at desc, _loaded_at desc
        ) = 1

),

latest_day as (

    select max(balance_date) as aum_date
    from product_balances

),

current_balances as (

    select
        product_balances.product_id,
        sum(product_balances.balance_gbp) as aum_gbp,
        sum(product_balances.account_count) as holding_count
    from product_balances
    inner join latest_day
        on product_balances.balance_date = latest_day.aum_date
    group by 1

),

final as (

    select
        products.product_id,
        products.product_code,
        products.product_name,
        products.product_type,
        products.risk_band,
        products.currency_code,
        products.quarantine_reason,
        coalesce(current_rates.annual_rate_bps, products.annual_rate_bps)
            as current_annual_rate_bps,
        cast(
            coalesce(current_rates.annual_rate_bps, products.annual_rate_bps)
            / 10000 as {{ type_money() }}
        ) as current_annual_rate,
        products.annual_rate_bps as listed_annual_rate_bps,
        products.term_days,
        products.notice_days,
        products.min_investment_amount_minor,
        products.min_investment_amount,
        products.max_investment_amount_minor,
        products.max_investment_amount,
        cast(coalesce(current_balances.aum_gbp, 0) as {{ type_money() }})
            as current_aum_gbp,
        cast(
            coalesce(current_balances.holding_count, 0)
            as {{ dbt.type_bigint() }}
        ) as current_holding_count,
        products.is_isa_eligible,
        products.is_active,
        products.quarantine_reason is not null as is_quarantined,
        products._is_source_deleted as is_source_deleted,
        latest_day.aum_date,
        products.launched_at,
        products.retired_at,
        current_rates.valid_from_at as current_rate_valid_from_at
    from products
    left outer join current_rates
        on products.product_id = current_rates.product_id
    left outer join current_balances
        on products.product_id = current_balances.product_id
    cross join latest_day

)

select * from final
