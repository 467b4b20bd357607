{#- One row per day, holding and currency: assets under management in a
    product (investment and ISA holdings apart) or in cash wallets (its own
    row, product NULL, named 'Cash wallet'), in the original currency and
    in GBP at that day's rate, with the number of accounts holding a
    non-zero position. From int_ledger__product_balances_daily, erased
    people's money included. A day the loader had not finished
    (is_day_complete false) has NULL balances and counts, not partial
    ones. -#}
with

product_balances as (

    select
        balance_date,
        holding_type,
        product_id,
        currency_code,
        balance_minor,
        balance,
        balance_gbp,
        fx_units_per_gbp,
        account_count,
        is_day_complete
    from {{ ref('int_ledger__product_balances_daily') }}

),

products as (

    select
        product_id,
        product_code,
        product_name,
        product_type,
        risk_band
    from {{ ref('stg_app_mysql__products') }}

),

final as (

    select
        product_balances.balance_date,
        product_balances.holding_type,
        product_balances.product_id,
        products.product_code,
        case
            when product_balances.holding_type = 'cash' then 'Cash wallet'
            else products.product_name
        end as product_name,
        case
            when product_balances.holding_type = 'cash' then 'cash_wallet'
            else products.product_type
        end as product_type,
        products.risk_band,
        product_balances.currency_code,
        cast(
            case
                when product_balances.is_day_complete
                    then product_balances.balance_minor
            end as {{ dbt.type_bigint() }}
        ) as balance_minor,
        cast(
            case
                when product_balances.is_day_complete
                    then product_balances.balance
            end as {{ type_money() }}
        ) as balance,
        cast(
            case
                when product_balances.is_day_complete
                    then product_balances.balance_gbp
            end as {{ type_money() }}
        ) as balance_gbp,
        cast(product_balances.fx_units_per_gbp as {{ type_money() }})
            as fx_units_per_gbp,
        cast(
            case
                when product_balances.is_day_complete
                    then product_balances.account_count
            end as {{ dbt.type_bigint() }}
        ) as account_count,
        product_balances.is_day_complete
    from product_balances
    left outer join products
        on product_balances.product_id = products.product_id

)

select * from final
