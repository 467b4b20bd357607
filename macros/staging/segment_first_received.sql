{#- The deduplication predicate of Segment staging (event-analytics §2), for
    `qualify`: one row per (source_platform, event_id), the first received
    copy, then the earliest written (_loaded_at). `then_by` adds a last
    tie-break (an expression) for rows that a model fanned out itself. -#}
{% macro segment_first_received(then_by=none) -%}
    row_number() over (
        partition by source_platform, event_id
        order by received_at, _loaded_at
        {%- if then_by %}, {{ then_by }}{% endif %}
    ) = 1
{%- endmacro %}
