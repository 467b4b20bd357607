{#- One row per ledger line on a platform revenue account: platform_fees
    (revenue type 'fee_income': fees credited, cashback and goodwill
    adjustments debited) or platform_fx (revenue type 'fx_margin': the GBP
    value of what the platform's FX account keeps between the two legs of
    a conversion). revenue_gbp is the line's balance effect in GBP (credit
    +), so summed it is the account's net. BOOKED revenue, from the ledger.

    Each line is attributed to the customer of its transaction: the user
    of the transaction's customer-account lines when there is exactly one
    (NULL otherwise: platform-only transactions, erased people whose lines
    are pseudonymised, several customers). product_id is the
    transaction's investment's product (NULL = not tied to a product). -#}
with

ledger_entries as (

    select
        ledger_entry_id,
        transaction_id,
        user_id,
        product_id,
        transaction_type,
        account_type,
        is_platform_account,
        currency_code,
        balance_effect,
        balance_effect_gbp,
        posted_date
    from {{ ref('int_ledger__entries_enriched') }}

),

revenue_lines as (

    select *
    from ledger_entries
    where account_type in ('platform_fees', 'platform_fx')

),

{# erased customers' lines carry a NULL user_id: counted, not named #}
transaction_customers as (

    select
        transaction_id,
        max(user_id) as user_id,
        count(distinct user_id) as customer_count,
        count(*) - count(user_id) as anonymous_line_count
    from ledger_entries
    where not is_platform_account
    group by 1

),

attributed as (

    select
        revenue_lines.ledger_entry_id,
        revenue_lines.transaction_id,
        case
            when
                transaction_customers.customer_count = 1
                and transaction_customers.anonymous_line_count = 0
                then transaction_customers.user_id
        end as user_id,
        revenue_lines.product_id,
        case
            when revenue_lines.account_type = 'platform_fees'
                then 'fee_income'
            else 'fx_margin'
        end as revenue_type,
        revenue_lines.transaction_type,
        revenue_lines.currency_code,
        revenue_lines.balance_effect,
        revenue_lines.balance_effect_gbp as revenue_gbp,
        revenue_lines.posted_date,
        cast(
            {{ dbt.date_trunc('month', 'revenue_lines.posted_date') }}
            as date
        ) as revenue_month
    from revenue_lines
    left outer join transaction_customers
        on revenue_lines.transaction_id = transaction_customers.transaction_id

)

select * from attributed
