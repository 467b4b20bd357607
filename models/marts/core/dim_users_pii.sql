{#- One row per customer of dim_users (erased people absent by
    construction) with their personal data: the app's email, names and
    date of birth, and a phone number. The app holds no phone: it comes
    from the Help Scout customer whose emails (any of them, hashed) match
    the user's app email, in E.164 form where it could be normalised; a
    Help Scout customer matching more than one user gives no phone, and
    among several phones the matching customer with the lowest id and its
    first listed phone win. Restricted: on BigQuery the model lands in its
    own dataset (var pii_schema; custom schemas apply in production only)
    and grants read access to var pii_readers. -#}
{{ config(
    schema=var('pii_schema', 'pii'),
    grants=(
        {'roles/bigquery.dataViewer': var('pii_readers', [])}
        if target.type == 'bigquery' else {}
    )
) }}

with

customers as (

    select
        user_id,
        user_key
    from {{ ref('dim_users') }}

),

app_users as (

    select
        user_id,
        email,
        email_hash,
        first_name,
        last_name,
        date_of_birth
    from {{ ref('stg_app_mysql__users') }}
    where
        not _is_source_deleted
        and {{ not_erased('user_id', 'user_id') }}

),

helpscout_customer_emails as (

    select
        customer_id,
        email_hash
    from {{ ref('stg_helpscout__customer_emails') }}
    where {{ not_erased('customer_id', 'helpscout_customer_id') }}

),

helpscout_customer_phones as (

    select
        customer_id,
        phone_number,
        phone_number_e164,
        phone_position
    from {{ ref('stg_helpscout__customer_phones') }}
    where phone_number is not null

),

helpscout_customer_users as (

    select
        helpscout_customer_emails.customer_id,
        min(app_users.user_id) as user_id
    from helpscout_customer_emails
    inner join app_users
        on helpscout_customer_emails.email_hash = app_users.email_hash
    group by 1
    having count(distinct app_users.user_id) = 1

),

phones as (

    select
        helpscout_customer_users.user_id,
        coalesce(
            helpscout_customer_phones.phone_number_e164,
            helpscout_customer_phones.phone_number
        ) as phone
    from helpscout_customer_users
    inner join helpscout_customer_phones
        on
            helpscout_customer_users.customer_id
            = helpscout_customer_phones.customer_id
    where true
    qualify row_number() over (
            partition by helpscout_customer_users.user_id
            order by
                helpscout_customer_users.customer_id asc,
                helpscout_customer_phones.phone_position asc
        ) = 1

),

final as (

    select
        customers.user_id,
        customers.user_key,
        app_users.email,
        app_users.first_name,
        app_users.last_name,
        phones.phone,
        app_users.date_of_birth
    from customers
    inner join app_users
        on customers.user_id = app_users.user_id
    left outer join phones
        on customers.user_id = phones.user_id

)

select * from final
