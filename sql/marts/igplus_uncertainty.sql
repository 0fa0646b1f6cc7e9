-- Monte Carlo ranks for the pillar and IG+ scores (current config): each draw jitters every weight
-- by up to +/- weight_jitter, draws each value from a normal with sd = (upper_ci - lower_ci) / 3.92
-- where the publisher gives an interval, and picks one normalisation (goalposts, z-score or rank)
-- with the configured chances. Random numbers are hashes of the text 'seed|draw|what|area|year'
-- (one string: DuckDB's multi-argument hash combines its arguments too weakly, which left
-- seed-specific patterns across areas), so the result does not depend on row order or threads. An area is 'hot' (best fifth) or 'cold' (worst
-- fifth) only when its whole 5th-95th percentile rank interval lies in that quintile (and at
-- least five areas are ranked). Methods are stratified and weights Latin-hypercube sampled to
-- cut Monte Carlo noise.
CREATE OR REPLACE TABLE marts.igplus_uncertainty AS
WITH
settings AS (
    SELECT * FROM landing.igplus_config_settings WHERE config_set = 'current'
),
normalisations AS (
    SELECT method, cum_low, cum_high FROM landing.igplus_config_normalisations
    WHERE config_set = 'current' AND probability > 0
),
domain_weights AS (
    SELECT domain, weight FROM landing.igplus_config_domains WHERE config_set = 'current'
),
pillar_weights AS (
    SELECT pillar, weight FROM landing.igplus_config_pillars WHERE config_set = 'current'
),
scored AS (
    -- Availability is decided once, with the configured weights: a draw scores what the index scores.
    SELECT area_code, year, level, component, rank, n_ranked
    FROM staging.igplus_scores_all
    WHERE config_set = 'current' AND score IS NOT NULL AND level IN ('domain', 'pillar', 'igplus')
),
base AS (
    SELECT v.area_code, v.area_type, v.year, v.component, v.domain, v.pillar, v.polarity,
           v.goalpost_min, v.goalpost_max, v.component_weight, v.value, coalesce(v.sd, 0) AS sd
    FROM staging.igplus_values AS v
    JOIN settings AS s ON v.config_set = s.config_set AND list_contains(s.mc_years, v.year)
    JOIN scored AS d ON d.area_code = v.area_code AND d.year = v.year AND d.level = 'domain'
        AND d.component = v.domain
    WHERE v.value IS NOT NULL AND v.area_type <> 'country'
),
draws AS (
    SELECT CAST(unnest(range(1, mc_draws + 1)) AS INTEGER) AS draw FROM settings
),
method_strata AS (
    -- Stratified: each method gets its exact share of the draws, in a seeded random order.
    SELECT d.draw,
           (row_number() OVER (ORDER BY hash(concat_ws('|', s.mc_seed, 'method', d.draw)), d.draw) - 0.5) / s.mc_draws AS u
    FROM draws AS d
    CROSS JOIN settings AS s
),
draw_methods AS (
    SELECT m.draw, n.method
    FROM method_strata AS m
    JOIN normalisations AS n ON m.u >= n.cum_low AND m.u < n.cum_high
),
weight_strata AS (
    -- Latin hypercube: each weight's draws cover [0, 1) in equal strata, in a seeded random order.
    SELECT d.draw, w.kind, w.name, w.weight,
           (row_number() OVER (PARTITION BY w.kind, w.name ORDER BY hash(concat_ws('|', s.mc_seed, 'stratum', w.kind, w.name, d.draw)),
                                                                   d.draw) - 1
            + ((hash(concat_ws('|', s.mc_seed, d.draw, w.kind, w.name)) >> 11)::DOUBLE + 0.5) / 9007199254740992.0)
           / s.mc_draws AS u
    FROM draws AS d
    CROSS JOIN settings AS s
    CROSS JOIN (SELECT DISTINCT 'component' AS kind, component AS name, component_weight AS weight FROM base
                UNION ALL SELECT 'domain', domain, weight FROM domain_weights
                UNION ALL SELECT 'pillar', pillar, weight FROM pillar_weights) AS w
),
weights AS (
    SELECT w.draw, w.kind, w.name, w.weight * (1 + s.mc_weight_jitter * (2 * w.u - 1)) AS weight
    FROM weight_strata AS w
    CROSS JOIN settings AS s
),
perturbed AS (
    SELECT b.*, d.draw, m.method,
           CASE WHEN b.polarity = 'higher_is_better' THEN 1 ELSE -1 END
           * (b.value + CASE WHEN s.mc_value_uncertainty AND b.sd > 0 THEN b.sd
                 * sqrt(-2 * ln(((hash(concat_ws('|', s.mc_seed, d.draw, 'u1', b.component, b.area_code, b.year)) >> 11)::DOUBLE + 0.5)
                                / 9007199254740992.0))
                 * cos(2 * pi() * ((hash(concat_ws('|', s.mc_seed, d.draw, 'u2', b.component, b.area_code, b.year)) >> 11)::DOUBLE
                                   + 0.5) / 9007199254740992.0)
                 ELSE 0 END) AS signed_x
    FROM base AS b
    CROSS JOIN draws AS d
    CROSS JOIN settings AS s
    JOIN draw_methods AS m USING (draw)
),
normalised AS (
    SELECT draw, area_code, area_type, year, component, domain, pillar,
           100 * least(greatest(
               CASE WHEN polarity = 'higher_is_better' THEN (signed_x - goalpost_min) / (goalpost_max - goalpost_min)
                    ELSE (goalpost_max + signed_x) / (goalpost_max - goalpost_min) END, 0), 1) AS score
    FROM perturbed WHERE method = 'goalposts'
    UNION ALL
    -- z-score across areas of the same type, mapped to 0-100 by the logistic approximation of the normal CDF.
    SELECT draw, area_code, area_type, year, component, domain, pillar,
           100 / (1 + exp(-1.702 * coalesce((signed_x - avg(signed_x) OVER t) / nullif(stddev_pop(signed_x) OVER t, 0), 0)))
    FROM perturbed WHERE method = 'zscore'
    WINDOW t AS (PARTITION BY draw, area_type, year, component)
    UNION ALL
    SELECT draw, area_code, area_type, year, component, domain, pillar,
           100 * percent_rank() OVER (PARTITION BY draw, area_type, year, component ORDER BY signed_x)
    FROM perturbed WHERE method = 'rank'
),
domain_draws AS (
    SELECT n.draw, n.area_code, n.area_type, n.year, n.domain, n.pillar,
           sum(w.weight * n.score) / sum(w.weight) AS score
    FROM normalised AS n
    JOIN weights AS w ON w.draw = n.draw AND w.kind = 'component' AND w.name = n.component
    GROUP BY ALL
),
pillar_draws AS (
    SELECT d.draw, d.area_code, d.area_type, d.year, d.pillar,
           exp(sum(w.weight * ln(greatest(d.score, s.geometric_floor))) / sum(w.weight)) AS score
    FROM domain_draws AS d
    CROSS JOIN settings AS s
    JOIN weights AS w ON w.draw = d.draw AND w.kind = 'domain' AND w.name = d.domain
    JOIN scored AS k ON k.area_code = d.area_code AND k.year = d.year AND k.level = 'pillar'
        AND k.component = d.pillar
    GROUP BY ALL
),
igplus_draws AS (
    SELECT p.draw, p.area_code, p.area_type, p.year,
           exp(sum(w.weight * ln(greatest(p.score, s.geometric_floor))) / sum(w.weight)) AS score
    FROM pillar_draws AS p
    CROSS JOIN settings AS s
    JOIN weights AS w ON w.draw = p.draw AND w.kind = 'pillar' AND w.name = p.pillar
    JOIN scored AS k ON k.area_code = p.area_code AND k.year = p.year AND k.level = 'igplus'
    GROUP BY ALL
),
ranked AS (
    SELECT draw, area_code, area_type, year, level, component,
           rank() OVER (PARTITION BY draw, area_type, year, level, component ORDER BY round(score, 9) DESC)
               AS draw_rank
    FROM (SELECT draw, area_code, area_type, year, 'pillar' AS level, pillar AS component, score FROM pillar_draws
          UNION ALL
          SELECT draw, area_code, area_type, year, 'igplus', 'igplus', score FROM igplus_draws)
),
summary AS (
    SELECT area_code, area_type, year, level, component,
           quantile_disc(draw_rank, 0.5) AS median_rank,
           quantile_disc(draw_rank, 0.05) AS rank_p05,
           quantile_disc(draw_rank, 0.95) AS rank_p95,
           count(*) AS n_draws,
           list(draw_rank ORDER BY draw_rank) AS sorted_ranks
    FROM ranked
    GROUP BY ALL
),
labelling_bounds AS (
    -- The 5th and 95th percentiles are themselves estimates from finite draws. A label needs the
    -- interval inside the quintile even at the far end of each percentile's 99% Monte Carlo
    -- confidence band (order statistics: p +/- 2.576 sqrt(p(1 - p) / draws)), so a new seed
    -- rarely moves a hot or cold label.
    SELECT m.*,
           m.sorted_ranks[greatest(1, CAST(floor(m.n_draws * (0.05 - 2.576 * sqrt(0.0475 / m.n_draws))) AS INTEGER))]
               AS rank_lo_bound,
           m.sorted_ranks[least(m.n_draws, CAST(ceil(m.n_draws * (0.95 + 2.576 * sqrt(0.0475 / m.n_draws))) AS INTEGER))]
               AS rank_hi_bound
    FROM summary AS m
)
SELECT m.area_code, m.area_type, m.year, m.level, m.component, CAST(k.rank AS INTEGER) AS rank,
       CAST(m.median_rank AS INTEGER) AS median_rank, CAST(m.rank_p05 AS INTEGER) AS rank_p05,
       CAST(m.rank_p95 AS INTEGER) AS rank_p95, CAST(k.n_ranked AS INTEGER) AS n_ranked,
       CAST(m.n_draws AS INTEGER) AS n_draws, s.mc_seed AS seed,
       CASE WHEN k.n_ranked < 5 THEN 'uncertain'  -- quintiles of fewer than five areas mean nothing
            WHEN ceil(5.0 * m.rank_hi_bound / k.n_ranked) = 1 THEN 'hot'
            WHEN ceil(5.0 * m.rank_lo_bound / k.n_ranked) = 5 THEN 'cold'
            ELSE 'uncertain' END AS hot_cold,
       s.version AS config_version
FROM labelling_bounds AS m
JOIN scored AS k USING (area_code, year, level, component)
CROSS JOIN settings AS s
ORDER BY m.area_type, m.area_code, m.year, m.level, m.component
