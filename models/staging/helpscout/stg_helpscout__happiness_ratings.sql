{#- One row per Help Scout happiness rating (great / okay / not good) of a
    staff reply; a rating re-pulled by a later report keeps its latest
    copy. -#}
with

source as (

    select
        {{ fill_missing_columns(
            source('helpscout', 'happiness_ratings_report'),
            get_helpscout_columns('happiness_ratings_report')
        ) }}
    from {{ source('helpscout', 'happiness_ratings_report') }}

),

renamed as (

    select
        -- keys
        cast(rating_id as {{ dbt.type_string() }}) as rating_id,
        cast(conversation_id as {{ dbt.type_string() }}) as conversation_id,
        cast(thread_id as {{ dbt.type_string() }}) as thread_id,
        cast(rating_customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(rating_user_id as {{ dbt.type_string() }}) as agent_id,

        -- strings
        lower(trim(type)) as rating,

        -- personal data (stays in staging): the customer's own words
        nullif(trim(rating_comments), '') as rating_comment,

        -- numerics: +1 / 0 / -1, whose mean x 100 is Help Scout's
        -- happiness score (% great - % not good)
        case lower(trim(type))
            when 'great' then 1
            when 'okay' then 0
            when 'not good' then -1
        end as rating_score,

        -- timestamps
        thread_created_at,
        rating_created_at as rated_at,

        -- loader metadata
        _sdc_sequence,
        _sdc_batched_at as _loaded_at

    from source

),

deduplicated as (

    select *
    from renamed
    where true
    qualify
        row_number() over (
            partition by rating_id
            order by _sdc_sequence desc, _loaded_at desc
        ) = 1

),

quarantined as (

    select
        *,
        case
            when rating_score is null then 'unknown rating'
            when rated_at is null then 'missing rated_at'
            when rated_at < thread_created_at then 'rated before the reply'
        end as quarantine_reason
    from deduplicated

)

select * from quarantined
