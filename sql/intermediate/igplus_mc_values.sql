-- Every value the IG+ Monte Carlo perturbs (assets/montecarlo.py): the current config's component
-- values, in the years simulated, of every domain the index scores (availability is decided once,
-- with the configured weights, so every draw scores what the index scores), with the weights of
-- its component, domain and pillar. Countries are not ranked.
WITH
settings AS (
    SELECT * FROM landing.igplus_config_settings WHERE config_set = 'current'
),
scored_domains AS (
    SELECT area_code, year, component AS domain
    FROM intermediate.igplus_scores_all
    WHERE config_set = 'current' AND score IS NOT NULL AND level = 'domain'
),
domains AS (
    SELECT domain, weight FROM landing.igplus_config_domains WHERE config_set = 'current'
),
pillars AS (
    SELECT pillar, weight FROM landing.igplus_config_pillars WHERE config_set = 'current'
)
SELECT v.area_code, v.area_type, v.year, v.component, v.domain, v.pillar, v.polarity, v.goalpost_min,
       v.goalpost_max, v.value, coalesce(v.sd, 0) AS sd, v.component_weight, d.weight AS domain_weight,
       p.weight AS pillar_weight
FROM intermediate.igplus_values AS v
JOIN settings AS s ON v.config_set = s.config_set AND list_contains(s.mc_years, v.year)
JOIN scored_domains AS sd ON sd.area_code = v.area_code AND sd.year = v.year AND sd.domain = v.domain
JOIN domains AS d ON d.domain = v.domain
JOIN pillars AS p ON p.pillar = v.pillar
WHERE v.value IS NOT NULL AND v.area_type <> 'country'
ORDER BY v.area_code, v.year, v.pillar, v.domain, v.component
