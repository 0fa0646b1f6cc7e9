-- The weighted geometric mean of the scores that are not missing, each floored at floor_value so a
-- zero cannot wipe out the rest (IG+ pillars and the index; docs/methodology.md). An aggregate.
CREATE OR REPLACE TEMP MACRO weighted_geometric_mean(score, weight, floor_value) AS
    exp(sum(weight * ln(greatest(score, floor_value))) FILTER (WHERE score IS NOT NULL)
        / nullif(sum(weight) FILTER (WHERE score IS NOT NULL), 0))
