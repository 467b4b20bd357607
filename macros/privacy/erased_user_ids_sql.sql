{#- A subquery of the public user ids of every person whose erasure
    completed (users flagged erased, or a completed full erasure request),
    read from staging so that any model, hook or test can use it without a
    dependency cycle. -#}
{% macro erased_user_ids_sql() -%}
    select erased_users.user_id
    from {{ ref('stg_app_mysql__users') }} as erased_users
    where
        erased_users.is_erased
        or erased_users.app_user_id in (
            select erasure_requests.app_user_id
            from {{ ref('stg_app_mysql__erasure_requests') }} as erasure_requests
            where erasure_requests.is_completed and erasure_requests.is_full_erasure
        )
{%- endmacro %}
