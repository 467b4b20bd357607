{#- Daily AUM closes on the ledger: on fct_daily_aum's last day, per
    currency, the balances of the customer accounts it holds plus the
    balances of erased people's accounts (their pseudonymised lines in
    fct_transactions) equal the sum of every customer-account balance
    effect in fct_transactions. Also checks that its last day is the
    ledger's last posted day. Returns the currencies that differ. -#}
with

daily_aum as (

    select
        balance_date,
        currency_code,
        balance_minor
    from {{ ref('fct_daily_aum') }}

),

transactions as (

    select
        currency_code,
        balance_effect_minor,
        is_erased_subject,
        posted_date
    from {{ ref('fct_transactions') }}
    where owner_type = 'customer'

),

last_days as (

    select max(balance_date) as balance_date
    from daily_aum

),

aum_totals as (

    select
        daily_aum.currency_code,
        sum(daily_aum.balance_minor) as balance_minor
    from daily_aum
    inner join last_days
        on daily_aum.balance_date = last_days.balance_date
    group by 1

),

erased_totals as (

    select
        currency_code,
        sum(balance_effect_minor) as balance_minor
    from transactions
    where is_erased_subject
    group by 1

),

ledger_totals as (

    select
        currency_code,
        sum(balance_effect_minor) as balance_minor,
        max(posted_date) as last_posted_date
    from transactions
    group by 1

),

compared as (

    select
        ledger_totals.currency_code,
        ledger_totals.balance_minor as ledger_balance_minor,
        coalesce(aum_totals.balance_minor, 0) as aum_balance_minor,
        coalesce(erased_totals.balance_minor, 0) as erased_balance_minor,
        ledger_totals.last_posted_date,
        last_days.balance_date as aum_last_date
    from ledger_totals
    cross join last_days
    left outer join aum_totals
        on ledger_totals.currency_code = aum_totals.currency_code
    left outer join erased_totals
        on ledger_totals.currency_code = erased_totals.currency_code

),

mismatches as (

    select *
    from compared
    where
        ledger_balance_minor != aum_balance_minor + erased_balance_minor
        or last_posted_date > aum_last_date

)

select * from mismatches
