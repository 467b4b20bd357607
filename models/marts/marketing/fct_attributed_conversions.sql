{#- One row per conversion (sign-up, first deposit) x touchpoint (a session
    of the user in the lookback window, int_attribution__touchpoints) with
    the credit each attribution model gives the touchpoint:
    - first_touch / last_touch: 1 to the first / last session;
    - linear: 1 / n to each;
    - position_based (40/20/40): 1 touch 1.0; 2 touches 0.5 each; n >= 3
      0.4 to the first and the last, 0.2 spread over the middle ones;
    - last_non_direct: 1 to the last session whose channel is not Direct,
      else to the last session.
    A conversion without a touchpoint keeps one row (touchpoint_number 0,
    channel '(no tracked touchpoint)') with weight 1 in every model, so
    each model's weights sum to 1 per conversion. The conversion value is
    the GBP amount of the user's first completed deposit for first_deposit
    and NULL for sign_up (a sign-up has no money value); attributed revenue
    is value x weight. -#}
with

touchpoints as (

    select
        conversion_id,
        conversion_type,
        user_id,
        converted_at,
        session_id,
        session_start_at,
        channel,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_term,
        touchpoint_number,
        touchpoint_count,
        is_direct
    from {{ ref('int_attribution__touchpoints') }}

),

transactions as (

    select
        transaction_id,
        user_id,
        amount_gbp,
        posted_at
    from {{ ref('fct_transactions') }}
    where
        transaction_type = 'deposit'
        and transaction_status = 'completed'
        and owner_type = 'customer'
        and entry_direction = 'credit'
        and user_id is not null

),

{# the customer leg of the user's first completed deposit #}
first_deposits as (

    select
        user_id,
        amount_gbp as first_deposit_amount_gbp
    from transactions
    where true
    qualify row_number() over (
            partition by user_id
            order by posted_at, transaction_id
        ) = 1

),

{# the last non-Direct touchpoint of each conversion, else its last #}
last_non_direct as (

    select
        conversion_id,
        coalesce(
            max(case when not is_direct then touchpoint_number end),
            max(touchpoint_number)
        ) as last_non_direct_number
    from touchpoints
    group by 1

),

weighted as (

    select
        touchpoints.*,
        case
            when touchpoints.conversion_type = 'first_deposit'
                then first_deposits.first_deposit_amount_gbp
        end as conversion_value_gbp,
        case
            when touchpoints.touchpoint_count = 0 then 1.0
            when touchpoints.touchpoint_number = 1 then 1.0
            else 0.0
        end as first_touch_weight,
        case
            when touchpoints.touchpoint_count = 0 then 1.0
            when
                touchpoints.touchpoint_number = touchpoints.touchpoint_count
                then 1.0
            else 0.0
        end as last_touch_weight,
        case
            when touchpoints.touchpoint_count = 0 then 1.0
            else 1.0 / touchpoints.touchpoint_count
        end as linear_weight,
        case
            when touchpoints.touchpoint_count <= 1 then 1.0
            when touchpoints.touchpoint_count = 2 then 0.5
            when
                touchpoints.touchpoint_number = 1
                or touchpoints.touchpoint_number
                = touchpoints.touchpoint_count
                then 0.4
            else 0.2 / (touchpoints.touchpoint_count - 2)
        end as position_based_weight,
        case
            when touchpoints.touchpoint_count = 0 then 1.0
            when
                touchpoints.touchpoint_number
                = last_non_direct.last_non_direct_number
                then 1.0
            else 0.0
        end as last_non_direct_weight
    from touchpoints
    left outer join first_deposits
        on
            touchpoints.user_id = first_deposits.user_id
    left outer join last_non_direct
        on touchpoints.conversion_id = last_non_direct.conversion_id

),

final as (

    select
        cast(conversion_id as {{ dbt.type_string() }}) as conversion_id,
        cast(conversion_type as {{ dbt.type_string() }}) as conversion_type,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        cast({{ hash_key('user_id') }} as {{ dbt.type_string() }})
            as user_key,
        cast(session_id as {{ dbt.type_string() }}) as session_id,
        cast(
            coalesce(channel, '(no tracked touchpoint)')
            as {{ dbt.type_string() }}
        ) as channel,
        cast(utm_source as {{ dbt.type_string() }}) as utm_source,
        cast(utm_medium as {{ dbt.type_string() }}) as utm_medium,
        cast(utm_campaign as {{ dbt.type_string() }}) as utm_campaign,
        cast(utm_content as {{ dbt.type_string() }}) as utm_content,
        cast(utm_term as {{ dbt.type_string() }}) as utm_term,
        cast(touchpoint_number as {{ dbt.type_bigint() }})
            as touchpoint_number,
        cast(touchpoint_count as {{ dbt.type_bigint() }})
            as touchpoint_count,
        cast(first_touch_weight as {{ type_double() }})
            as first_touch_weight,
        cast(last_touch_weight as {{ type_double() }})
            as last_touch_weight,
        cast(linear_weight as {{ type_double() }}) as linear_weight,
        cast(position_based_weight as {{ type_double() }})
            as position_based_weight,
        cast(last_non_direct_weight as {{ type_double() }})
            as last_non_direct_weight,
        cast(conversion_value_gbp as {{ type_money() }})
            as conversion_value_gbp,
        cast(conversion_value_gbp * first_touch_weight as {{ type_money() }})
            as first_touch_revenue_gbp,
        cast(conversion_value_gbp * last_touch_weight as {{ type_money() }})
            as last_touch_revenue_gbp,
        cast(conversion_value_gbp * linear_weight as {{ type_money() }})
            as linear_revenue_gbp,
        cast(
            conversion_value_gbp * position_based_weight
            as {{ type_money() }}
        ) as position_based_revenue_gbp,
        cast(
            conversion_value_gbp * last_non_direct_weight
            as {{ type_money() }}
        ) as last_non_direct_revenue_gbp,
        cast(is_direct as {{ dbt.type_boolean() }}) as is_direct,
        cast(touchpoint_count > 0 as {{ dbt.type_boolean() }})
            as has_touchpoint,
        cast({{ to_reporting_date('converted_at') }} as date)
            as converted_date,
        cast(converted_at as {{ dbt.type_timestamp() }}) as converted_at,
        cast(session_start_at as {{ dbt.type_timestamp() }})
            as session_start_at
    from weighted

)

select * from final
