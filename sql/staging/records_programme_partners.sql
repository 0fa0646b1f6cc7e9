-- The partner organisations of each programme (its partner_organisation_ids list), one row per pair.
SELECT DISTINCT CAST(programme_id AS VARCHAR) AS programme_id, CAST(value AS VARCHAR) AS organisation_id
FROM landing.records_programmes__partner_organisation_ids
