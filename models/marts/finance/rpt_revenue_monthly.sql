{#- One row per calendar month (UTC) x product x revenue type, from the
    ledger's first month to the month of its last posted day, dense (a
    product x type that ever had revenue gets a 0 in the months without).
    Revenue types:
    - fee_income (booked): the net of the platform_fees accounts in GBP:
      fees credited, minus cashback and goodwill adjustments paid from
      them; by the transaction's investment's product, NULL ('platform')
      when the transaction has none;
    - fx_margin (booked): the net of the platform_fx accounts in GBP, what
      the platform keeps between the two legs of customers' conversions;
    - interest_margin (MODELLED, not booked): each day's customer balance
      in an investment product x the product's yearly margin from the seed
      product_margins / 365 (int_revenue__interest_margin_accrued).
    The month of the ledger's last posted day is not complete
    (is_month_complete false): its figures are real but cover the month so
    far. Amounts without a GBP rate are left out of the sums. -#}
with

ledger_entries as (

    select posted_date
    from {{ ref('int_ledger__entries_enriched') }}

),

booked_lines as (

    select
        product_id,
        revenue_type,
        revenue_gbp,
        revenue_month
    from {{ ref('int_revenue__booked_lines_attributed') }}

),

interest_margins as (

    select
        product_id,
        balance_date,
        interest_margin_gbp
    from {{ ref('int_revenue__interest_margin_accrued') }}

),

products as (

    select
        product_id,
        product_code,
        product_type
    from {{ ref('int_revenue__product_margins_resolved') }}

),

data_bounds as (

    select
        min(posted_date) as data_start_date,
        max(posted_date) as data_end_date
    from ledger_entries

),

days as (

    {{ day_series(
        '(select data_start_date from data_bounds)',
        '(select data_end_date from data_bounds)'
    ) }}

),

months as (

    select
        cast({{ dbt.date_trunc('month', 'days.day') }} as date)
            as revenue_month,
        data_bounds.data_end_date
    from days
    cross join data_bounds
    group by 1, 2

),

revenue as (

    select
        revenue_month,
        product_id,
        revenue_type,
        sum(revenue_gbp) as revenue_gbp
    from booked_lines
    group by 1, 2, 3
    union all
    select
        cast({{ dbt.date_trunc('month', 'balance_date') }} as date)
            as revenue_month,
        product_id,
        'interest_margin' as revenue_type,
        sum(interest_margin_gbp) as revenue_gbp
    from interest_margins
    group by 1, 2, 3

),

revenue_lines as (

    select
        coalesce(revenue.product_id, '') as product_key,
        max(revenue.product_id) as product_id,
        revenue.revenue_type
    from revenue
    group by 1, 3

),

grid as (

    select
        months.revenue_month,
        months.data_end_date,
        revenue_lines.product_key,
        revenue_lines.product_id,
        revenue_lines.revenue_type
    from months
    cross join revenue_lines

),

filled as (

    select
        grid.revenue_month,
        grid.product_id,
        coalesce(
            products.product_code,
            case when grid.product_id is null then 'platform' end,
            'unknown'
        ) as product_code,
        coalesce(
            products.product_type,
            case when grid.product_id is null then 'platform' end,
            'unknown'
        ) as product_type,
        grid.revenue_type,
        case
            when grid.revenue_type = 'interest_margin' then 'modelled'
            else 'booked'
        end as revenue_basis,
        coalesce(revenue.revenue_gbp, 0) as revenue_gbp,
        cast({{ dbt.dateadd('month', 1, 'grid.revenue_month') }} as date)
        <= grid.data_end_date as is_month_complete,
        grid.data_end_date
    from grid
    left outer join revenue
        on
            grid.revenue_month = revenue.revenue_month
            and grid.product_key = coalesce(revenue.product_id, '')
            and grid.revenue_type = revenue.revenue_type
    left outer join products
        on grid.product_id = products.product_id

),

final as (

    select
        revenue_month,
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        cast(product_code as {{ dbt.type_string() }}) as product_code,
        cast(product_type as {{ dbt.type_string() }}) as product_type,
        cast(revenue_type as {{ dbt.type_string() }}) as revenue_type,
        cast(revenue_basis as {{ dbt.type_string() }}) as revenue_basis,
        cast(revenue_gbp as {{ type_money() }}) as revenue_gbp,
        is_month_complete,
        data_end_date
    from filled

)

select * from final
