-- Facts about this build of the warehouse, as key/value pairs. target_vintage is the vintage the
-- published districts are on; target_vintage_setting is what INCLUSION_TARGET_VINTAGE asked for
-- ('newest' when unset). They differ when the geography source could not build the vintage asked
-- for and kept its last good one (marts.sources says why).
SELECT * FROM (VALUES
    ('built_at', CAST($built_at AS VARCHAR)),
    ('target_vintage', (SELECT max(vintage) FROM marts.areas WHERE area_type = 'lad')),
    ('target_vintage_setting', CAST($target_vintage AS VARCHAR)),
    ('example_data', CAST($example_data AS VARCHAR)),
    ('licence', 'Open Government Licence v3.0 for the public statistics; see marts.sources'),
    ('pipeline_version', CAST($pipeline_version AS VARCHAR))
) AS t(key, value)  -- noqa: AL05, LT01
