-- Monte Carlo ranks for the pillar and IG+ scores (current config), summarised per run and area.
-- Two runs of the same simulation, side by side:
--   'seeded'    random numbers keyed by monte_carlo.seed: the published median and 5th/95th
--               percentile ranks, reproducible with the seed;
--   'reference' random numbers keyed by the method version, never by the seed: it decides the
--               hot/cold labels in marts.igplus_uncertainty, so a new seed cannot move them.
-- Each draw jitters every weight by up to +/- weight_jitter (Latin hypercube), draws each value
-- from a normal with sd = (upper_ci - lower_ci) / 3.92 where the publisher gives an interval, and
-- picks one normalisation (goalposts, z-score or rank, stratified to the configured chances).
-- Random numbers are hashes of the text 'key|draw|what|area|year' (one string: DuckDB's
-- multi-argument hash combines its arguments too weakly and left key-specific patterns across
-- areas), so nothing depends on row order or threads. The draws carry small integer ids, not
-- names: 2 runs x 2,000 draws x ~9,000 values is ~37 million rows.
CREATE OR REPLACE TABLE staging.igplus_rank_summary AS
WITH
settings AS (
    SELECT * FROM landing.igplus_config_settings WHERE config_set = 'current'
),
runs AS (
    SELECT 1 AS run_id, 'seeded' AS run, CAST(mc_seed AS VARCHAR) AS run_key FROM settings
    UNION ALL
    SELECT 2, 'reference', 'reference|' || version FROM settings
),
normalisations AS (
    SELECT method, cum_low, cum_high FROM landing.igplus_config_normalisations
    WHERE config_set = 'current' AND probability > 0
),
scored AS (
    -- Availability is decided once, with the configured weights: a draw scores what the index scores.
    SELECT area_code, year, level, component, n_ranked
    FROM staging.igplus_scores_all
    WHERE config_set = 'current' AND score IS NOT NULL AND level IN ('domain', 'pillar', 'igplus')
),
values_in_scope AS (
    SELECT v.area_code, v.area_type, v.year, v.component, v.domain, v.pillar, v.polarity,
           v.goalpost_min, v.goalpost_max, v.component_weight, v.value, coalesce(v.sd, 0) AS sd
    FROM staging.igplus_values AS v
    JOIN settings AS s ON v.config_set = s.config_set AND list_contains(s.mc_years, v.year)
    JOIN scored AS d ON d.area_code = v.area_code AND d.year = v.year AND d.level = 'domain'
        AND d.component = v.domain
    WHERE v.value IS NOT NULL AND v.area_type <> 'country'
),
weight_names AS (
    -- Every weight that is jittered, numbered.
    SELECT kind, name, weight, CAST(row_number() OVER (ORDER BY kind, name) AS INTEGER) AS weight_id
    FROM (SELECT DISTINCT 'component' AS kind, component AS name, component_weight AS weight FROM values_in_scope
          UNION ALL SELECT 'domain', domain, weight FROM landing.igplus_config_domains WHERE config_set = 'current'
          UNION ALL SELECT 'pillar', pillar, weight FROM landing.igplus_config_pillars WHERE config_set = 'current')
),
rank_cells AS (
    -- Each pillar and IG+ score to be ranked, with the group it is ranked in.
    SELECT area_code, year, level, component, n_ranked,
           CAST(row_number() OVER (ORDER BY area_code, year, level, component) AS INTEGER) AS cell_id,
           CAST(dense_rank() OVER (ORDER BY a.area_type, year, level, component) AS INTEGER) AS rank_group,
           a.area_type
    FROM scored
    JOIN (SELECT DISTINCT area_code, area_type FROM values_in_scope) AS a USING (area_code)
    WHERE level IN ('pillar', 'igplus')
),
domain_cells AS (
    -- Each domain score, the pillar cell it feeds and its weight's id.
    SELECT CAST(row_number() OVER (ORDER BY v.area_code, v.year, v.domain) AS INTEGER) AS domain_cell,
           v.area_code, v.year, v.domain, p.cell_id AS pillar_cell, w.weight_id AS domain_weight_id
    FROM (SELECT DISTINCT area_code, year, domain, pillar FROM values_in_scope) AS v
    JOIN rank_cells AS p ON p.area_code = v.area_code AND p.year = v.year AND p.level = 'pillar'
        AND p.component = v.pillar
    JOIN weight_names AS w ON w.kind = 'domain' AND w.name = v.domain
),
pillar_cells AS (
    -- Each scored pillar, the IG+ cell it feeds (if IG+ is scored) and its weight's id.
    SELECT p.cell_id AS pillar_cell, p.rank_group, p.n_ranked, i.cell_id AS igplus_cell,
           i.rank_group AS igplus_rank_group, i.n_ranked AS igplus_n_ranked, w.weight_id AS pillar_weight_id
    FROM rank_cells AS p
    JOIN weight_names AS w ON w.kind = 'pillar' AND w.name = p.component
    LEFT JOIN rank_cells AS i ON i.area_code = p.area_code AND i.year = p.year AND i.level = 'igplus'
    WHERE p.level = 'pillar'
),
base AS (
    SELECT c.domain_cell, w.weight_id AS component_weight_id, v.sd,
           CAST(dense_rank() OVER (ORDER BY v.area_type, v.year, v.component) AS INTEGER) AS norm_group,
           v.area_code || '|' || v.year || '|' || v.component AS value_key,
           CASE WHEN v.polarity = 'higher_is_better' THEN 1 ELSE -1 END AS sign,
           -- goalposts on the signed scale: higher is always better
           CASE WHEN v.polarity = 'higher_is_better' THEN v.goalpost_min ELSE -v.goalpost_max END AS low,
           v.goalpost_max - v.goalpost_min AS span, v.value
    FROM values_in_scope AS v
    JOIN domain_cells AS c USING (area_code, year, domain)
    JOIN weight_names AS w ON w.kind = 'component' AND w.name = v.component
),
draws AS (
    SELECT r.run_id, r.run_key, CAST(unnest(range(1, s.mc_draws + 1)) AS INTEGER) AS draw
    FROM runs AS r
    CROSS JOIN settings AS s
),
method_strata AS (
    -- Stratified: each method gets its exact share of the draws, in a random order.
    SELECT d.run_id, d.draw,
           (row_number() OVER (PARTITION BY d.run_id ORDER BY hash(concat_ws('|', d.run_key, 'method', d.draw)), d.draw)
            - 0.5) / s.mc_draws AS u
    FROM draws AS d
    CROSS JOIN settings AS s
),
draw_methods AS (
    SELECT m.run_id, m.draw, n.method
    FROM method_strata AS m
    JOIN normalisations AS n ON m.u >= n.cum_low AND m.u < n.cum_high
),
weight_strata AS (
    -- Latin hypercube: each weight's draws cover [0, 1) in equal strata, in a random order.
    SELECT d.run_id, d.draw, w.weight_id, w.weight,
           (row_number() OVER (PARTITION BY d.run_id, w.kind, w.name
                               ORDER BY hash(concat_ws('|', d.run_key, 'stratum', w.kind, w.name, d.draw)), d.draw) - 1
            + ((hash(concat_ws('|', d.run_key, d.draw, w.kind, w.name)) >> 11)::DOUBLE + 0.5) / 9007199254740992.0)
           / s.mc_draws AS u
    FROM draws AS d
    CROSS JOIN settings AS s
    CROSS JOIN weight_names AS w
),
weights AS (
    SELECT w.run_id, w.draw, w.weight_id, w.weight * (1 + s.mc_weight_jitter * (2 * w.u - 1)) AS weight
    FROM weight_strata AS w
    CROSS JOIN settings AS s
),
perturbed AS (
    SELECT d.run_id, d.draw, m.method, b.norm_group, b.domain_cell, b.component_weight_id, b.low, b.span,
           b.sign * b.value + CASE WHEN s.mc_value_uncertainty AND b.sd > 0 THEN b.sign * b.sd
                 * sqrt(-2 * ln(((hash(concat_ws('|', d.run_key, d.draw, 'u1', b.value_key)) >> 11)::DOUBLE + 0.5)
                                / 9007199254740992.0))
                 * cos(2 * pi() * ((hash(concat_ws('|', d.run_key, d.draw, 'u2', b.value_key)) >> 11)::DOUBLE
                                   + 0.5) / 9007199254740992.0)
                 ELSE 0 END AS signed_x
    FROM base AS b
    CROSS JOIN draws AS d
    CROSS JOIN settings AS s
    JOIN draw_methods AS m ON m.run_id = d.run_id AND m.draw = d.draw
),
normalised AS (
    SELECT run_id, draw, domain_cell, component_weight_id,
           100 * least(greatest((signed_x - low) / span, 0), 1) AS score
    FROM perturbed WHERE method = 'goalposts'
    UNION ALL
    -- z-score across areas of the same type, mapped to 0-100 by the logistic approximation of the normal CDF.
    SELECT run_id, draw, domain_cell, component_weight_id,
           100 / (1 + exp(-1.702 * coalesce((signed_x - avg(signed_x) OVER t) / nullif(stddev_pop(signed_x) OVER t, 0), 0)))
    FROM perturbed WHERE method = 'zscore'
    WINDOW t AS (PARTITION BY run_id, draw, norm_group)
    UNION ALL
    SELECT run_id, draw, domain_cell, component_weight_id,
           100 * percent_rank() OVER (PARTITION BY run_id, draw, norm_group ORDER BY signed_x)
    FROM perturbed WHERE method = 'rank'
),
domain_draws AS MATERIALIZED (
    -- MATERIALIZED keeps the planner from joining every draw with every weight before the cells.
    SELECT n.run_id, n.draw, c.pillar_cell, c.domain_weight_id, sum(w.weight * n.score) / sum(w.weight) AS score
    FROM normalised AS n
    JOIN domain_cells AS c USING (domain_cell)
    JOIN weights AS w ON w.run_id = n.run_id AND w.draw = n.draw AND w.weight_id = n.component_weight_id
    GROUP BY ALL
),
pillar_draws AS (
    SELECT d.run_id, d.draw, d.pillar_cell,
           exp(sum(w.weight * ln(greatest(d.score, s.geometric_floor))) / sum(w.weight)) AS score
    FROM domain_draws AS d
    CROSS JOIN settings AS s
    JOIN weights AS w ON w.run_id = d.run_id AND w.draw = d.draw AND w.weight_id = d.domain_weight_id
    GROUP BY ALL
),
pillar_scores AS MATERIALIZED (
    -- Each pillar draw with its cell's ids first (MATERIALIZED for the same reason as above).
    SELECT p.run_id, p.draw, p.pillar_cell, p.score, c.rank_group, c.n_ranked, c.igplus_cell,
           c.igplus_rank_group, c.igplus_n_ranked, c.pillar_weight_id
    FROM pillar_draws AS p
    JOIN pillar_cells AS c USING (pillar_cell)
),
igplus_draws AS (
    SELECT p.run_id, p.draw, p.igplus_cell AS cell_id, p.igplus_rank_group AS rank_group,
           p.igplus_n_ranked AS n_ranked,
           exp(sum(w.weight * ln(greatest(p.score, s.geometric_floor))) / sum(w.weight)) AS score
    FROM pillar_scores AS p
    CROSS JOIN settings AS s
    JOIN weights AS w ON w.run_id = p.run_id AND w.draw = p.draw AND w.weight_id = p.pillar_weight_id
    WHERE p.igplus_cell IS NOT NULL
    GROUP BY ALL
),
cell_draws AS (
    SELECT run_id, draw, pillar_cell AS cell_id, rank_group, n_ranked, score FROM pillar_scores
    UNION ALL
    SELECT run_id, draw, cell_id, rank_group, n_ranked, score FROM igplus_draws
),
ranked AS (
    SELECT run_id, cell_id, n_ranked,
           rank() OVER (PARTITION BY run_id, draw, rank_group ORDER BY round(score, 9) DESC) AS draw_rank
    FROM cell_draws
),
summary AS (
    SELECT run_id, cell_id, count(*) AS n_draws,
           quantile_disc(draw_rank, 0.5) AS median_rank,
           quantile_disc(draw_rank, 0.05) AS rank_p05,
           quantile_disc(draw_rank, 0.95) AS rank_p95,
           -- which fifth of the ranked areas a draw's rank falls in: 1 best .. 5 worst
           count(*) FILTER (WHERE ceil(5.0 * draw_rank / n_ranked) = 1) AS draws_best_fifth,
           count(*) FILTER (WHERE ceil(5.0 * draw_rank / n_ranked) = 5) AS draws_worst_fifth
    FROM ranked
    GROUP BY run_id, cell_id
)
SELECT r.run, c.area_code, c.area_type, c.year, c.level, c.component,
       CAST(m.n_draws AS INTEGER) AS n_draws, CAST(m.median_rank AS INTEGER) AS median_rank,
       CAST(m.rank_p05 AS INTEGER) AS rank_p05, CAST(m.rank_p95 AS INTEGER) AS rank_p95,
       CAST(m.draws_best_fifth AS INTEGER) AS draws_best_fifth,
       CAST(m.draws_worst_fifth AS INTEGER) AS draws_worst_fifth
FROM summary AS m
JOIN runs AS r USING (run_id)
JOIN rank_cells AS c USING (cell_id)
ORDER BY r.run, c.area_type, c.area_code, c.year, c.level, c.component
