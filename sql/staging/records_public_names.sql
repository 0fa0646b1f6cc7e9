-- The public names of organisations and programmes, for the Inclusion Reports (names the template
-- asks to be public; no person's name belongs in them, see docs/records.md).
SELECT 'organisation' AS kind, CAST(organisation_id AS VARCHAR) AS id, CAST(organisation_name AS VARCHAR) AS name
FROM landing.records_organisations
UNION ALL
SELECT 'programme', CAST(programme_id AS VARCHAR), CAST(programme_name AS VARCHAR)
FROM landing.records_programmes
