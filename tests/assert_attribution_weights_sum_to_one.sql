{#- Every conversion gives away exactly one unit of credit in every
    attribution model (fct_attributed_conversions): rows returned are
    conversions where some model's weights do not sum to 1. -#}
with

attributed_conversions as (

    select
        conversion_id,
        first_touch_weight,
        last_touch_weight,
        linear_weight,
        position_based_weight,
        last_non_direct_weight
    from {{ ref('fct_attributed_conversions') }}

),

sums as (

    select
        conversion_id,
        sum(first_touch_weight) as first_touch_sum,
        sum(last_touch_weight) as last_touch_sum,
        sum(linear_weight) as linear_sum,
        sum(position_based_weight) as position_based_sum,
        sum(last_non_direct_weight) as last_non_direct_sum
    from attributed_conversions
    group by 1

)

select *
from sums
where
    abs(first_touch_sum - 1) > 1e-9
    or abs(last_touch_sum - 1) > 1e-9
    or abs(linear_sum - 1) > 1e-9
    or abs(position_based_sum - 1) > 1e-9
    or abs(last_non_direct_sum - 1) > 1e-9
