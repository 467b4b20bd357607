{#- One row per day and currency: units of the currency per one GBP, from
    the app's daily rates (GBP base). Weekends and bank holidays carry the
    last published rate forward (is_rate_carried_forward), for at most
    var('fx_max_carry_days') days past the last rate; GBP is 1. Days before
    a currency's first rate have no row, so a conversion there is NULL and
    its test says so. -#}
with

fx_rates as (

    select
        rate_date,
        quote_currency_code as currency_code,
        exchange_rate
    from {{ ref('stg_app_mysql__fx_rates') }}
    where
        quarantine_reason is null
        and not _is_source_deleted
        and base_currency_code = '{{ var("reporting_currency") }}'

),

days as (

    {{ day_series(
        '(select min(rate_date) from fx_rates)',
        dbt.dateadd(
            'day',
            var('fx_max_carry_days'),
            '(select max(rate_date) from fx_rates)'
        )
    ) }}

),

currencies as (

    select distinct currency_code
    from fx_rates

),

currency_days as (

    select
        days.day as rate_date,
        currencies.currency_code
    from days
    cross join currencies

),

carried as (

    select
        currency_days.rate_date,
        currency_days.currency_code,
        fx_rates.rate_date as published_rate_date,
        last_value(fx_rates.exchange_rate ignore nulls) over (
            partition by currency_days.currency_code
            order by currency_days.rate_date
            rows between unbounded preceding and current row
        ) as units_per_reporting_unit,
        last_value(fx_rates.rate_date ignore nulls) over (
            partition by currency_days.currency_code
            order by currency_days.rate_date
            rows between unbounded preceding and current row
        ) as rate_published_on
    from currency_days
    left outer join fx_rates
        on
            currency_days.currency_code = fx_rates.currency_code
            and currency_days.rate_date = fx_rates.rate_date

),

reporting_currency_days as (

    select
        day as rate_date,
        '{{ var("reporting_currency") }}' as currency_code,
        cast(1 as {{ type_money() }}) as units_per_reporting_unit,
        day as rate_published_on,
        false as is_rate_carried_forward
    from days

),

filled as (

    select
        rate_date,
        currency_code,
        units_per_reporting_unit,
        rate_published_on,
        published_rate_date is null as is_rate_carried_forward
    from carried
    where
        units_per_reporting_unit is not null
        and {{ dbt.datediff('rate_published_on', 'rate_date', 'day') }}
        <= {{ var('fx_max_carry_days') }}
    union all
    select * from reporting_currency_days

)

select * from filled
