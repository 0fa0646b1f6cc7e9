-- Which areas moved, and by how much, when the IG+ config in use (INCLUSION_IGPLUS_CONFIG) differs
-- from the versioned default (config/igplus.v1.yaml): pillar and IG+ scores and ranks under both.
-- rank_change > 0 means the area moved up (a smaller rank number) under the current config.
WITH
scores AS (
    SELECT config_set, area_code, area_type, year, level, component, score, rank
    FROM intermediate.igplus_scores_all
    WHERE level IN ('pillar', 'igplus')
),
settings AS (
    SELECT config_set, version, path FROM landing.igplus_config_settings
),
areas AS (
    SELECT area_code, area_name FROM marts.areas
),
paired AS (
    SELECT coalesce(c.area_code, d.area_code) AS area_code,
           coalesce(c.area_type, d.area_type) AS area_type,
           coalesce(c.year, d.year) AS year,
           coalesce(c.level, d.level) AS level,
           coalesce(c.component, d.component) AS component,
           d.score AS score_default, c.score AS score_current,
           d.rank AS rank_default, c.rank AS rank_current
    FROM (SELECT * FROM scores WHERE config_set = 'current') AS c
    FULL JOIN (SELECT * FROM scores WHERE config_set = 'default') AS d
        USING (area_code, year, level, component)
)
SELECT p.area_code, a.area_name, p.area_type, p.year, p.level, p.component,
       p.score_default, p.score_current, p.score_current - p.score_default AS score_change,
       CAST(p.rank_default AS INTEGER) AS rank_default, CAST(p.rank_current AS INTEGER) AS rank_current,
       CAST(p.rank_default - p.rank_current AS INTEGER) AS rank_change,
       d.version AS config_default, c.version AS config_current, c.path AS config_current_path
FROM paired AS p
LEFT JOIN areas AS a USING (area_code)
CROSS JOIN (SELECT * FROM settings WHERE config_set = 'default') AS d
CROSS JOIN (SELECT * FROM settings WHERE config_set = 'current') AS c
WHERE p.score_default IS NOT NULL OR p.score_current IS NOT NULL
ORDER BY p.area_type ASC, p.year ASC, p.level ASC, p.component ASC,
         abs(coalesce(p.rank_default - p.rank_current, 0)) DESC, p.area_code ASC
