-- Violations: IG+ scores outside 0-100, ranks outside 1..n_ranked, or a score with a status other than ok.
SELECT area_code, area_type, year, level, component, score, rank, n_ranked, status
FROM marts.igplus_scores
WHERE score < 0 OR score > 100
   OR rank < 1 OR rank > n_ranked
   OR (score IS NOT NULL AND status <> 'ok')
   OR (score IS NULL AND status = 'ok')
   OR (rank IS NULL) <> (score IS NULL)
