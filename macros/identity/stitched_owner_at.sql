{#- The join condition that finds a device's owner at a point in time in
    int_identity__anonymous_ids_stitched: same source and anonymous id, and
    the time inside [valid_from_at, valid_to_at) (an open interval when
    valid_to_at is NULL). One definition for every model that stitches. -#}
{% macro stitched_owner_at(stitched, row, time_column) -%}
    {{ row }}.source_platform = {{ stitched }}.source_platform
    and {{ row }}.anonymous_id = {{ stitched }}.anonymous_id
    and {{ row }}.{{ time_column }} >= {{ stitched }}.valid_from_at
    and (
        {{ stitched }}.valid_to_at is null
        or {{ row }}.{{ time_column }} < {{ stitched }}.valid_to_at
    )
{%- endmacro %}
