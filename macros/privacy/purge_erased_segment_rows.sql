{#- Post-hook of the incremental Segment models: delete the rows of every
    erased person (erased_user_ids_sql) and of every device (source,
    anonymous id) that ever carried their user id in this table. A table
    model drops them on rebuild; an incremental one must delete what it
    stored before the erasure. Only the devices still linked here can be
    found: once Segment has deleted the identified rows and a full refresh
    has rebuilt the table, nothing links the remaining anonymous rows to a
    person (docs/DECISIONS.md). The device test is a correlated EXISTS,
    which both engines run as a semi-join (no per-row key building). -#}
{% macro purge_erased_segment_rows() -%}
    delete from {{ this }} as purged
    where
        purged.user_id in ({{ erased_user_ids_sql() }})
        or exists (
            select 1
            from {{ this }} as linked
            where
                linked.source_platform = purged.source_platform
                and linked.anonymous_id = purged.anonymous_id
                and linked.user_id in ({{ erased_user_ids_sql() }})
        )
{%- endmacro %}
