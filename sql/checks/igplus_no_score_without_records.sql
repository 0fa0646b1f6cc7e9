-- Violations: a pillar B or IG+ score (or a zero) for an area-year with no co-production records.
SELECT s.area_code, s.area_type, s.year, s.level, s.component, s.score, s.status
FROM marts.igplus_scores AS s
WHERE s.status = 'no_records' AND s.score IS NOT NULL
   OR (s.level = 'igplus' AND s.score IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM marts.igplus_scores AS b
        WHERE b.area_code = s.area_code AND b.year = s.year AND b.level = 'pillar'
          AND b.score IS NOT NULL
          AND b.component IN (SELECT pillar FROM landing.igplus_config_pillars
                              WHERE config_set = 'current' AND source = 'records')))
