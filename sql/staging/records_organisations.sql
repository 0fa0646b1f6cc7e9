-- Organisations, typed: sector and the local authority each is based in (names not carried).
CREATE OR REPLACE TABLE staging.records_organisations AS
SELECT CAST(organisation_id AS VARCHAR) AS organisation_id,
       CAST(sector AS VARCHAR) AS sector,
       CAST(local_authority_code AS VARCHAR) AS area_code
FROM landing.records_organisations
