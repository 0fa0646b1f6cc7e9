-- Rank uncertainty and hot/cold spots for the pillar and IG+ scores (docs/methodology.md).
-- median_rank and rank_p05/rank_p95 come from the seeded Monte Carlo run. The label comes from
-- the reference run, whose random numbers are fixed by the method version, so changing the seed
-- never moves it:
--   hot  = at least label_share (97.5%) of the reference draws rank the area in the best fifth,
--          and the published 5th-95th percentile interval lies in the best fifth too;
--   cold = the same for the worst fifth; otherwise 'uncertain'.
-- The second condition keeps every label consistent with the interval printed beside it. It can
-- only fail for a new seed if the two runs disagree by over 2.5 percentage points on one area's
-- share: about five standard errors of that difference at 2,000 draws.
WITH
settings AS (
    SELECT * FROM landing.igplus_config_settings WHERE config_set = 'current'
),
scored AS (
    SELECT area_code, year, level, component, rank, n_ranked
    FROM intermediate.igplus_scores_all
    WHERE config_set = 'current' AND score IS NOT NULL AND level IN ('pillar', 'igplus')
),
seeded AS (
    SELECT * FROM intermediate.igplus_rank_summary WHERE run = 'seeded'
),
reference AS (
    SELECT area_code, year, level, component,
           draws_best_fifth / n_draws AS share_best_fifth,
           draws_worst_fifth / n_draws AS share_worst_fifth
    FROM intermediate.igplus_rank_summary
    WHERE run = 'reference'
),
labelled AS (
    SELECT m.*, k.rank, k.n_ranked, r.share_best_fifth, r.share_worst_fifth,
           CASE WHEN k.n_ranked < 5 THEN 'uncertain'  -- quintiles of fewer than five areas mean nothing
                WHEN r.share_best_fifth >= s.mc_label_share AND ceil(5.0 * m.rank_p95 / k.n_ranked) = 1 THEN 'hot'
                WHEN r.share_worst_fifth >= s.mc_label_share AND ceil(5.0 * m.rank_p05 / k.n_ranked) = 5 THEN 'cold'
                ELSE 'uncertain' END AS hot_cold
    FROM seeded AS m
    JOIN scored AS k USING (area_code, year, level, component)
    JOIN reference AS r USING (area_code, year, level, component)
    CROSS JOIN settings AS s
)
SELECT l.area_code, l.area_type, l.year, l.level, l.component, CAST(l.rank AS INTEGER) AS rank,
       l.median_rank, l.rank_p05, l.rank_p95, CAST(l.n_ranked AS INTEGER) AS n_ranked, l.n_draws,
       s.mc_seed AS seed, l.hot_cold, l.share_best_fifth, l.share_worst_fifth,
       s.version AS config_version
FROM labelled AS l
CROSS JOIN settings AS s
ORDER BY l.area_type, l.area_code, l.year, l.level, l.component
