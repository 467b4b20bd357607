{#- One row per user x calendar month (UTC) in which the user had a
    session, a ledger movement, attributed fee revenue or a modelled
    interest margin: the inputs of rpt_cohort_metrics.

    Active: at least one identified session (fct_sessions.user_id, session
    start in the month) or one customer-initiated ledger movement (a
    deposit, withdrawal, investment, divestment or fx_conversion
    transaction with a line on one of the user's accounts, posted in the
    month). Interest, repayments, fees, cashback, refunds, reversals and
    adjustments are started by the platform and do not count.
    Money: deposits = credits to the user's cash accounts by deposit
    transactions; withdrawals = debits from them by withdrawal
    transactions (positive); net flows = the balance effect on the user's
    cash accounts of deposits, withdrawals, card refunds and reversals (the
    money crossing the platform's boundary). Revenue = fees charged (the
    platform_fees credits of the user's 'fee' transactions) + the modelled
    interest margin on their holdings; cashback and goodwill adjustments
    paid from platform_fees are incentives_gbp, kept apart. Erased people
    are absent (their ledger lines carry no user_id; sessions filtered). -#}
with

sessions as (

    select
        user_id,
        session_start_at
    from {{ ref('fct_sessions') }}
    where user_id is not null

),

ledger_entries as (

    select
        transaction_id,
        user_id,
        transaction_type,
        account_type,
        entry_direction,
        amount_gbp,
        balance_effect_gbp,
        posted_date
    from {{ ref('int_ledger__entries_enriched') }}
    where not is_platform_account and user_id is not null

),

booked_lines as (

    select
        user_id,
        transaction_type,
        revenue_gbp,
        revenue_month
    from {{ ref('int_revenue__booked_lines_attributed') }}
    where revenue_type = 'fee_income' and user_id is not null

),

user_margins as (

    select
        user_id,
        revenue_month,
        interest_margin_gbp
    from {{ ref('int_revenue__user_margin_accrued') }}

),

session_months as (

    select
        user_id,
        cast(
            {{ dbt.date_trunc('month', 'session_start_at') }} as date
        ) as activity_month,
        count(*) as session_count,
        0 as customer_movement_count,
        0 as deposit_count,
        0 as deposits_gbp,
        0 as withdrawals_gbp,
        0 as net_flows_gbp,
        0 as fees_charged_gbp,
        0 as incentives_gbp,
        0 as interest_margin_gbp
    from sessions
    group by 1, 2

),

ledger_months as (

    select
        user_id,
        cast(
            {{ dbt.date_trunc('month', 'posted_date') }} as date
        ) as activity_month,
        0 as session_count,
        count(distinct case
            when
                transaction_type in (
                    'deposit', 'withdrawal', 'investment', 'divestment',
                    'fx_conversion'
                )
                then transaction_id
        end) as customer_movement_count,
        count(distinct case
            when
                transaction_type = 'deposit'
                and account_type = 'cash'
                and entry_direction = 'credit'
                then transaction_id
        end) as deposit_count,
        sum(case
            when
                transaction_type = 'deposit'
                and account_type = 'cash'
                and entry_direction = 'credit'
                then amount_gbp
            else 0
        end) as deposits_gbp,
        sum(case
            when
                transaction_type = 'withdrawal'
                and account_type = 'cash'
                and entry_direction = 'debit'
                then amount_gbp
            else 0
        end) as withdrawals_gbp,
        sum(case
            when
                transaction_type in (
                    'deposit', 'withdrawal', 'refund', 'reversal'
                )
                and account_type = 'cash'
                then balance_effect_gbp
            else 0
        end) as net_flows_gbp,
        0 as fees_charged_gbp,
        0 as incentives_gbp,
        0 as interest_margin_gbp
    from ledger_entries
    group by 1, 2

),

fee_months as (

    select
        user_id,
        revenue_month as activity_month,
        0 as session_count,
        0 as customer_movement_count,
        0 as deposit_count,
        0 as deposits_gbp,
        0 as withdrawals_gbp,
        0 as net_flows_gbp,
        sum(case
            when transaction_type = 'fee' then revenue_gbp else 0
        end) as fees_charged_gbp,
        -sum(case
            when transaction_type != 'fee' then revenue_gbp else 0
        end) as incentives_gbp,
        0 as interest_margin_gbp
    from booked_lines
    group by 1, 2

),

margin_months as (

    select
        user_id,
        revenue_month as activity_month,
        0 as session_count,
        0 as customer_movement_count,
        0 as deposit_count,
        0 as deposits_gbp,
        0 as withdrawals_gbp,
        0 as net_flows_gbp,
        0 as fees_charged_gbp,
        0 as incentives_gbp,
        sum(interest_margin_gbp) as interest_margin_gbp
    from user_margins
    group by 1, 2

),

unioned as (

    select * from session_months
    union all
    select * from ledger_months
    union all
    select * from fee_months
    union all
    select * from margin_months

),

aggregated as (

    select
        user_id,
        activity_month,
        sum(session_count) as session_count,
        sum(customer_movement_count) as customer_movement_count,
        sum(deposit_count) as deposit_count,
        sum(deposits_gbp) as deposits_gbp,
        sum(withdrawals_gbp) as withdrawals_gbp,
        sum(net_flows_gbp) as net_flows_gbp,
        sum(fees_charged_gbp) as fees_charged_gbp,
        sum(incentives_gbp) as incentives_gbp,
        sum(interest_margin_gbp) as interest_margin_gbp
    from unioned
    where {{ not_erased('user_id', 'user_id') }}
    group by 1, 2

),

final as (

    select
        user_id,
        activity_month,
        cast(session_count as {{ dbt.type_bigint() }}) as session_count,
        cast(customer_movement_count as {{ dbt.type_bigint() }})
            as customer_movement_count,
        cast(deposit_count as {{ dbt.type_bigint() }}) as deposit_count,
        cast(deposits_gbp as {{ type_money() }}) as deposits_gbp,
        cast(withdrawals_gbp as {{ type_money() }}) as withdrawals_gbp,
        cast(net_flows_gbp as {{ type_money() }}) as net_flows_gbp,
        cast(fees_charged_gbp as {{ type_money() }}) as fees_charged_gbp,
        cast(incentives_gbp as {{ type_money() }}) as incentives_gbp,
        cast(interest_margin_gbp as {{ type_money() }})
            as interest_margin_gbp,
        cast(
            fees_charged_gbp + interest_margin_gbp as {{ type_money() }}
        ) as revenue_gbp,
        session_count > 0 or customer_movement_count > 0 as is_active
    from aggregated

)

select * from final
