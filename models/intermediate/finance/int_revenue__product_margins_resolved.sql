{#- One row per product: the modelled yearly margin in basis points the
    platform earns on money held in it (seed product_margins by product type
    and currency). Lending products: the seed's margin_bps over the
    investor rate. Cash products: the seed's treasury yield minus the
    product's current annual_rate_bps (stg_app_mysql__products; the rate
    history and rates locked per investment are ignored, a documented
    simplification). A product without a seed row has a NULL margin (its
    test warns). -#}
with

products as (

    select
        product_id,
        product_code,
        product_name,
        product_type,
        currency_code,
        annual_rate_bps
    from {{ ref('stg_app_mysql__products') }}

),

product_margins as (

    select
        product_type,
        currency_code,
        margin_basis,
        margin_bps,
        treasury_yield_bps
    from {{ ref('product_margins') }}

),

resolved as (

    select
        products.product_id,
        products.product_code,
        products.product_name,
        products.product_type,
        products.currency_code,
        product_margins.margin_basis,
        products.annual_rate_bps,
        product_margins.treasury_yield_bps,
        case
            when product_margins.margin_basis = 'lending_spread'
                then product_margins.margin_bps
            when product_margins.margin_basis = 'treasury_yield'
                then
                    product_margins.treasury_yield_bps
                    - products.annual_rate_bps
        end as margin_bps
    from products
    left outer join product_margins
        on
            products.product_type = product_margins.product_type
            and products.currency_code = product_margins.currency_code

)

select * from resolved
