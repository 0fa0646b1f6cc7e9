-- Organisations, typed: sector, the local authority each is based in, and whether (and when) it agreed
-- what inclusion means for it (the definition itself is free text and never loaded).
SELECT CAST(organisation_id AS VARCHAR) AS organisation_id,
       CAST(sector AS VARCHAR) AS sector,
       CAST(local_authority_code AS VARCHAR) AS area_code,
       CAST(inclusion_defined AS BOOLEAN) AS inclusion_defined,
       CAST(inclusion_defined_date AS DATE) AS inclusion_defined_date
FROM landing.records_organisations
