{#- Audit: how many staging rows each model quarantined, and why. Run with
    `dbt compile -s audit_quarantined_rows_by_reason` and paste into a SQL
    client, or `dbt show --select ...`. -#}
with

quarantined as (

    select
        model_name,
        quarantine_reason
    from {{ ref('int_quarantined_rows_unioned') }}

),

counted as (

    select
        model_name,
        quarantine_reason,
        count(*) as row_count
    from quarantined
    group by 1, 2

)

select * from counted
