-- The share of the weight held by the members that have a score (0 when none has). An aggregate.
CREATE OR REPLACE TEMP MACRO weighted_coverage(score, weight) AS
    coalesce(sum(weight) FILTER (WHERE score IS NOT NULL), 0) / nullif(sum(weight), 0)
