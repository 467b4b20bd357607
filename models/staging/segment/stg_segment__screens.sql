{#- One row per screen() call of the mobile sources, deduplicated, with the
    device, OS and app context. -#}
with

unioned as (

    {{ union_segment_sources('screens') }}

),

renamed as (

    select
        -- keys
        {{ segment_key_columns() }},

        -- screen
        name as screen_name,

        -- app
        context_app_name as app_name,
        context_app_version as app_version,
        context_app_build as app_build,
        context_app_namespace as app_namespace,

        -- device and client
        context_device_id as device_id,
        nullif(
            context_device_advertising_id,
            '00000000-0000-0000-0000-000000000000'
        ) as advertising_id,
        context_device_manufacturer as device_manufacturer,
        context_device_model as device_model,
        context_device_type as device_type,
        {{ segment_device_class(
            'null', 'context_device_type', 'context_device_model'
        ) }} as device_class,
        context_os_name as os_name,
        context_os_version as os_version,
        context_network_carrier as network_carrier,
        context_ip as ip_address,
        context_locale as client_locale,
        context_timezone as client_timezone,
        context_library_name as library_name,
        context_library_version as library_version,

        -- numerics
        context_screen_width as screen_width,
        context_screen_height as screen_height,
        context_screen_density as screen_density,

        -- booleans
        context_device_ad_tracking_enabled as is_ad_tracking_enabled,
        context_network_wifi as is_on_wifi,
        context_network_cellular as is_on_cellular,
        context_consent_category_preferences_analytics
            as has_analytics_consent,
        context_consent_category_preferences_advertising
            as has_advertising_consent,
        context_consent_category_preferences_functional
            as has_functional_consent,

        -- timestamps and loader metadata
        {{ segment_time_columns() }}

    from unioned

),

deduplicated as (

    select
        *,
        {{ segment_message_flags() }}
    from renamed
    where true
    qualify {{ segment_first_received() }}

)

select * from deduplicated
