{#- Money in raw equals money in the mart (DESIGN §9): per currency, the
    raw Stripe succeeded charges net of succeeded refunds, in minor units,
    equal fct_payments' succeeded charges less its succeeded refunds plus
    the rows it leaves out on purpose: quarantined staging rows
    (int_quarantined_rows_unioned) and erased people's rows, found here
    from raw by the identifiers int_privacy__erased_identifiers_collected
    holds (metadata user, customer, emails, the payment intent's user and
    customer, the app's card deposits of erased users); a refund goes with
    its charge. Returns the currencies that do not reconcile. -#}
with

raw_charges as (

    select
        id as charge_id,
        payment_intent_id,
        customer_id,
        upper(currency) as currency_code,
        amount,
        lower(status) as charge_status,
        nullif(
            {{ json_extract_string('metadata', '$.user_public_id') }}, ''
        ) as user_id,
        {{ hash_key(normalize_email('receipt_email')) }} as receipt_email_hash,
        {{ hash_key(normalize_email('billing_detail_email')) }}
            as billing_email_hash
    from {{ source('stripe', 'charge') }}

),

raw_refunds as (

    select
        id as refund_id,
        charge_id,
        upper(currency) as currency_code,
        amount,
        lower(status) as refund_status
    from {{ source('stripe', 'refund') }}

),

raw_payment_intents as (

    select
        id as payment_intent_id,
        customer_id,
        nullif(
            {{ json_extract_string('metadata', '$.user_public_id') }}, ''
        ) as user_id
    from {{ source('stripe', 'payment_intent') }}

),

raw_app_card_deposits as (

    select
        cast(user_id as {{ dbt.type_string() }}) as app_user_id,
        nullif(trim(external_id), '') as external_id
    from {{ source('app_mysql', 'transactions') }}
    where lower(external_provider) = 'stripe'

),

quarantined as (

    select
        model_name,
        row_key
    from {{ ref('int_quarantined_rows_unioned') }}
    where model_name in ('stg_stripe__charges', 'stg_stripe__refunds')

),

erased_identifiers as (

    select
        identifier_type,
        identifier_value
    from {{ ref('int_privacy__erased_identifiers_collected') }}

),

erased_intents as (

    select raw_app_card_deposits.external_id as payment_intent_id
    from raw_app_card_deposits
    inner join erased_identifiers
        on
            raw_app_card_deposits.app_user_id
            = erased_identifiers.identifier_value
            and erased_identifiers.identifier_type = 'app_user_id'

),

{# one row per charge and identifier it carries #}
charge_identifiers as (

    select
        raw_charges.charge_id,
        'user_id' as identifier_type,
        raw_charges.user_id as identifier_value
    from raw_charges
    union all
    select
        raw_charges.charge_id,
        'user_id' as identifier_type,
        raw_payment_intents.user_id as identifier_value
    from raw_charges
    inner join raw_payment_intents
        on raw_charges.payment_intent_id = raw_payment_intents.payment_intent_id
    union all
    select
        raw_charges.charge_id,
        'stripe_customer_id' as identifier_type,
        raw_charges.customer_id as identifier_value
    from raw_charges
    union all
    select
        raw_charges.charge_id,
        'stripe_customer_id' as identifier_type,
        raw_payment_intents.customer_id as identifier_value
    from raw_charges
    inner join raw_payment_intents
        on raw_charges.payment_intent_id = raw_payment_intents.payment_intent_id
    union all
    select
        raw_charges.charge_id,
        'email_hash' as identifier_type,
        raw_charges.receipt_email_hash as identifier_value
    from raw_charges
    union all
    select
        raw_charges.charge_id,
        'email_hash' as identifier_type,
        raw_charges.billing_email_hash as identifier_value
    from raw_charges

),

erased_charges as (

    select charge_identifiers.charge_id
    from charge_identifiers
    inner join erased_identifiers
        on
            charge_identifiers.identifier_type
            = erased_identifiers.identifier_type
            and charge_identifiers.identifier_value
            = erased_identifiers.identifier_value
    union distinct
    select raw_charges.charge_id
    from raw_charges
    inner join erased_intents
        on raw_charges.payment_intent_id = erased_intents.payment_intent_id

),

raw_movements as (

    select
        raw_charges.currency_code,
        raw_charges.amount,
        quarantined.row_key is not null as is_quarantined,
        erased_charges.charge_id is not null as is_erased
    from raw_charges
    left outer join quarantined
        on
            raw_charges.charge_id = quarantined.row_key
            and quarantined.model_name = 'stg_stripe__charges'
    left outer join erased_charges
        on raw_charges.charge_id = erased_charges.charge_id
    where raw_charges.charge_status = 'succeeded'
    union all
    select
        raw_refunds.currency_code,
        -raw_refunds.amount as amount,
        quarantined.row_key is not null as is_quarantined,
        erased_charges.charge_id is not null as is_erased
    from raw_refunds
    left outer join quarantined
        on
            raw_refunds.refund_id = quarantined.row_key
            and quarantined.model_name = 'stg_stripe__refunds'
    left outer join erased_charges
        on raw_refunds.charge_id = erased_charges.charge_id
    where raw_refunds.refund_status = 'succeeded'

),

raw_totals as (

    select
        currency_code,
        sum(amount) as raw_net_minor,
        sum(case when is_quarantined then amount else 0 end)
            as quarantined_net_minor,
        sum(case when is_erased and not is_quarantined then amount else 0 end)
            as erased_net_minor
    from raw_movements
    group by 1

),

mart_totals as (

    select
        currency_code,
        sum(
            case when payment_event_type = 'charge' then amount_minor else 0 end
        )
        - sum(
            case when payment_event_type = 'refund' then amount_minor else 0 end
        ) as mart_net_minor
    from {{ ref('fct_payments') }}
    where
        payment_event_type in ('charge', 'refund')
        and status = 'succeeded'
    group by 1

),

compared as (

    select
        coalesce(raw_totals.currency_code, mart_totals.currency_code)
            as currency_code,
        coalesce(raw_totals.raw_net_minor, 0) as raw_net_minor,
        coalesce(mart_totals.mart_net_minor, 0) as mart_net_minor,
        coalesce(raw_totals.quarantined_net_minor, 0) as quarantined_net_minor,
        coalesce(raw_totals.erased_net_minor, 0) as erased_net_minor
    from raw_totals
    full outer join mart_totals
        on raw_totals.currency_code = mart_totals.currency_code

),

unreconciled as (

    select *
    from compared
    where
        raw_net_minor
        != mart_net_minor + quarantined_net_minor + erased_net_minor

)

select * from unreconciled
