-- Facts about this build of the warehouse, as key/value pairs.
SELECT * FROM (VALUES
    ('built_at', CAST($built_at AS VARCHAR)),
    ('target_vintage', CAST($target_vintage AS VARCHAR)),
    ('example_data', CAST($example_data AS VARCHAR)),
    ('licence', 'Open Government Licence v3.0 for the public statistics; see marts.sources'),
    ('pipeline_version', CAST($pipeline_version AS VARCHAR))
) AS t(key, value)  -- noqa: AL05, LT01
