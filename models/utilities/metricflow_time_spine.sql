{#- MetricFlow's daily time spine: one row per calendar day. The range spans
    the company's first possible data (2015) to well past today, so that
    cumulative metrics and gap-filled series never run off its end. -#}
with

days as (
    {{ day_series("cast('2015-01-01' as date)", "cast('2035-12-31' as date)") }}
),

final as (
    select cast(days.day as date) as date_day
    from days
)

select * from final
