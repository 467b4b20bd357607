{#- One row per day x holding type ('investment', 'isa') x product x
    currency: the day's balance of customers' money in the product
    (int_ledger__product_balances_daily, erased people's pseudonymised
    money included) and the interest margin the platform is modelled to
    earn on it that day: balance_gbp x margin_bps / 10000 / 365 (ACT/365
    fixed, the UK money-market convention; leap days are not special).
    MODELLED, not booked: the margin comes from the seed product_margins
    (int_revenue__product_margins_resolved). Uninvested wallet cash
    (holding type 'cash') earns no modelled margin and is left out. -#}
with

product_balances as (

    select
        balance_date,
        holding_type,
        product_id,
        currency_code,
        balance,
        balance_gbp
    from {{ ref('int_ledger__product_balances_daily') }}
    where holding_type in ('investment', 'isa') and product_id is not null

),

product_margins as (

    select
        product_id,
        margin_bps
    from {{ ref('int_revenue__product_margins_resolved') }}

),

accrued as (

    select
        product_balances.balance_date,
        product_balances.holding_type,
        product_balances.product_id,
        product_balances.currency_code,
        product_balances.balance,
        product_balances.balance_gbp,
        product_margins.margin_bps,
        cast(
            product_balances.balance_gbp * product_margins.margin_bps
            / 3650000
            as {{ type_money() }}
        ) as interest_margin_gbp
    from product_balances
    left outer join product_margins
        on product_balances.product_id = product_margins.product_id

)

select * from accrued
