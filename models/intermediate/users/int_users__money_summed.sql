{#- One row per app user with at least one ledger line on one of their own
    accounts: lifetime money flows in GBP seen from the customer's side of
    int_ledger__entries_enriched, their counts, the first deposit and
    investment posting times, and current balances by account type.
    Flows count lines of completed transactions that were not reversed;
    reversal transactions themselves count nowhere (a reversed deposit and
    its reversal cancel out), so every flow is net of reversals. Flows are
    converted at the posting day's rate (amount_gbp); balances are the sum
    of every line of the account in its own currency, converted at the
    latest rate of int_fx_rates__daily_filled. Erased people are absent:
    the ledger pseudonymises their lines (user_id NULL). -#}
with

ledger_entries as (

    select
        user_id,
        transaction_id,
        transaction_type,
        transaction_status,
        account_type,
        entry_direction,
        currency_code,
        balance_effect,
        amount_gbp,
        is_reversal,
        is_reversed,
        posted_at
    from {{ ref('int_ledger__entries_enriched') }}
    where
        owner_type = 'customer'
        and user_id is not null
        and not is_erased_subject
        and {{ not_erased('user_id', 'user_id') }}

),

fx_rates as (

    select
        currency_code,
        units_per_reporting_unit
    from {{ ref('int_fx_rates__daily_filled') }}
    where true
    qualify row_number() over (
            partition by currency_code
            order by rate_date desc
        ) = 1

),

{# the lines that count as money flows: completed, not reversed, no
    reversal transaction #}
flow_lines as (

    select *
    from ledger_entries
    where
        transaction_status = 'completed'
        and not is_reversed
        and not is_reversal

),

flows as (

    select
        user_id,
        count(distinct case
            when
                transaction_type = 'deposit'
                and account_type = 'cash'
                and entry_direction = 'credit'
                then transaction_id
        end) as deposit_count,
        count(distinct case
            when
                transaction_type = 'withdrawal'
                and account_type = 'cash'
                and entry_direction = 'debit'
                then transaction_id
        end) as withdrawal_count,
        count(distinct case
            when
                transaction_type = 'investment'
                and account_type in ('investment', 'isa')
                and entry_direction = 'credit'
                then transaction_id
        end) as investment_count,
        sum(case
            when
                transaction_type = 'deposit'
                and account_type = 'cash'
                and entry_direction = 'credit'
                then amount_gbp
        end) as deposits_gbp,
        sum(case
            when
                transaction_type = 'refund'
                and account_type = 'cash'
                and entry_direction = 'debit'
                then amount_gbp
        end) as refunds_gbp,
        sum(case
            when
                transaction_type = 'withdrawal'
                and account_type = 'cash'
                and entry_direction = 'debit'
                then amount_gbp
        end) as withdrawals_gbp,
        sum(case
            when
                transaction_type = 'investment'
                and account_type in ('investment', 'isa')
                and entry_direction = 'credit'
                then amount_gbp
        end) as investments_gbp,
        sum(case
            when
                transaction_type in ('divestment', 'principal_repayment')
                and account_type = 'cash'
                and entry_direction = 'credit'
                then amount_gbp
        end) as divestments_gbp,
        sum(case
            when
                transaction_type = 'interest'
                and account_type = 'cash'
                and entry_direction = 'credit'
                then amount_gbp
        end) as interest_gbp,
        sum(case
            when
                transaction_type = 'fee'
                and account_type = 'cash'
                and entry_direction = 'debit'
                then amount_gbp
        end) as fees_gbp,
        min(case
            when
                transaction_type = 'deposit'
                and account_type = 'cash'
                and entry_direction = 'credit'
                then posted_at
        end) as first_deposit_at,
        min(case
            when
                transaction_type = 'investment'
                and account_type in ('investment', 'isa')
                and entry_direction = 'credit'
                then posted_at
        end) as first_investment_at
    from flow_lines
    group by 1

),

{# balances: every line, in the account's own currency first #}
balances_by_currency as (

    select
        user_id,
        account_type,
        currency_code,
        sum(balance_effect) as balance
    from ledger_entries
    group by 1, 2, 3

),

balances_converted as (

    select
        balances_by_currency.user_id,
        balances_by_currency.account_type,
        balances_by_currency.currency_code,
        fx_rates.units_per_reporting_unit,
        {{ to_reporting_currency(
            'balances_by_currency.balance',
            'fx_rates.units_per_reporting_unit'
        ) }} as balance_gbp
    from balances_by_currency
    left outer join fx_rates
        on balances_by_currency.currency_code = fx_rates.currency_code

),

balances as (

    select
        user_id,
        sum(case when account_type = 'cash' then balance_gbp end)
            as cash_balance_gbp,
        sum(case when account_type = 'investment' then balance_gbp end)
            as investment_balance_gbp,
        sum(case when account_type = 'isa' then balance_gbp end)
            as isa_balance_gbp,
        sum(balance_gbp) as total_balance_gbp,
        {{ dbt.bool_or('units_per_reporting_unit is null') }}
            as has_unconverted_balance
    from balances_converted
    group by 1

),

activity as (

    select
        user_id,
        count(distinct transaction_id) as ledger_transaction_count,
        max(posted_at) as last_posted_at
    from ledger_entries
    group by 1

),

final as (

    select
        activity.user_id,
        cast(coalesce(flows.deposit_count, 0) as {{ dbt.type_bigint() }})
            as deposit_count,
        cast(coalesce(flows.withdrawal_count, 0) as {{ dbt.type_bigint() }})
            as withdrawal_count,
        cast(coalesce(flows.investment_count, 0) as {{ dbt.type_bigint() }})
            as investment_count,
        cast(activity.ledger_transaction_count as {{ dbt.type_bigint() }})
            as ledger_transaction_count,
        cast(coalesce(flows.deposits_gbp, 0) as {{ type_money() }})
            as lifetime_deposits_gbp,
        cast(coalesce(flows.refunds_gbp, 0) as {{ type_money() }})
            as lifetime_refunds_gbp,
        cast(coalesce(flows.withdrawals_gbp, 0) as {{ type_money() }})
            as lifetime_withdrawals_gbp,
        cast(
            coalesce(flows.deposits_gbp, 0)
            - coalesce(flows.refunds_gbp, 0)
            - coalesce(flows.withdrawals_gbp, 0)
            as {{ type_money() }}
        ) as lifetime_net_deposits_gbp,
        cast(coalesce(flows.investments_gbp, 0) as {{ type_money() }})
            as lifetime_investments_gbp,
        cast(coalesce(flows.divestments_gbp, 0) as {{ type_money() }})
            as lifetime_divestments_gbp,
        cast(coalesce(flows.interest_gbp, 0) as {{ type_money() }})
            as lifetime_interest_gbp,
        cast(coalesce(flows.fees_gbp, 0) as {{ type_money() }})
            as lifetime_fees_gbp,
        cast(coalesce(balances.cash_balance_gbp, 0) as {{ type_money() }})
            as cash_balance_gbp,
        cast(
            coalesce(balances.investment_balance_gbp, 0)
            as {{ type_money() }}
        ) as investment_balance_gbp,
        cast(coalesce(balances.isa_balance_gbp, 0) as {{ type_money() }})
            as isa_balance_gbp,
        cast(coalesce(balances.total_balance_gbp, 0) as {{ type_money() }})
            as total_balance_gbp,
        coalesce(balances.has_unconverted_balance, false)
            as has_unconverted_balance,
        flows.first_deposit_at,
        flows.first_investment_at,
        activity.last_posted_at
    from activity
    left outer join flows
        on activity.user_id = flows.user_id
    left outer join balances
        on activity.user_id = balances.user_id

)

select * from final
