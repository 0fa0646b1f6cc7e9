-- Secondary suppression of participants across organisations and districts (docs/records.md,
-- Disclosure control). Per year, organisations and districts linked by activities (an organisation's
-- activities in a district) form connected groups, in which the organisations' participants add up to
-- the districts'. So a figure hidden alone in its group is the difference of the published ones (an
-- organisation working in two districts gives back the hidden one); with two or more hidden, none
-- can be worked out. Rules, for participants and for people with lived experience alike:
-- 1. each organisation and district hides its own small counts (fewer than $min_people participants;
--    with lived experience, fewer than $min_people with or without it, or participants hidden);
-- 2. a district hides what an organisation active there hides (the district minus its other
--    organisations would give it back);
-- 3. a group left with one hidden figure (a district) also hides, for the same measure, the
--    organisation active in that district with the fewest participants (then its id).
-- One row per organisation and per district with activities that year.
-- The linter cannot parse DuckDB's USING KEY (1.3 on) yet, hence the noqa.
WITH RECURSIVE  -- noqa: PRS
activities AS (
    SELECT a.year, p.lead_organisation_id AS organisation_id, a.area_code, a.participants,
           a.participants_lived_experience AS lived
    FROM staging.records_activities AS a
    JOIN staging.records_programmes AS p USING (programme_id)
),
links AS (
    SELECT DISTINCT year, organisation_id, area_code FROM activities
),
organisations AS (
    SELECT year, organisation_id, sum(participants) AS participants, sum(lived) AS lived,
           sum(participants) < $min_people AS participants_hidden,
           sum(participants) < $min_people OR sum(lived) < $min_people
           OR sum(participants) - sum(lived) < $min_people AS lived_hidden
    FROM activities GROUP BY ALL
),
districts AS (
    SELECT year, area_code, sum(participants) < $min_people AS own_participants_hidden,
           sum(participants) < $min_people OR sum(lived) < $min_people
           OR sum(participants) - sum(lived) < $min_people AS own_lived_hidden
    FROM activities GROUP BY ALL
),
districts_hidden AS (
    -- Rules 1 and 2.
    SELECT d.year, d.area_code,
           d.own_participants_hidden OR bool_or(o.participants_hidden) AS participants_hidden,
           d.own_lived_hidden OR bool_or(o.lived_hidden) AS lived_hidden
    FROM districts AS d
    JOIN links USING (year, area_code)
    JOIN organisations AS o USING (year, organisation_id)
    GROUP BY d.year, d.area_code, d.own_participants_hidden, d.own_lived_hidden
),
nodes AS (
    SELECT year, 'organisation' AS kind, organisation_id AS id, participants_hidden, lived_hidden
    FROM organisations
    UNION ALL
    SELECT year, 'district', area_code, participants_hidden, lived_hidden FROM districts_hidden
),
edges AS (
    SELECT year, 'organisation:' || organisation_id AS node, 'district:' || area_code AS other FROM links
    UNION ALL
    SELECT year, 'district:' || area_code, 'organisation:' || organisation_id FROM links
),
labels (year, node, component) USING KEY (year, node) AS (
    -- Each node takes the least name in its group: a changed label passes to the neighbours whose
    -- own is greater (one row per node, so a national collection's groups cost linear memory).
    SELECT year, kind || ':' || id, kind || ':' || id FROM nodes
    UNION
    SELECT e.year, e.other, min(l.component)
    FROM labels AS l
    JOIN edges AS e ON l.year = e.year AND l.node = e.node
    JOIN recurring.labels AS r ON e.year = r.year AND e.other = r.node
    GROUP BY e.year, e.other, r.component
    HAVING min(l.component) < r.component
),
grouped AS (
    SELECT n.*, l.component
    FROM nodes AS n
    JOIN labels AS l ON n.year = l.year AND n.kind || ':' || n.id = l.node
),
groups AS (
    SELECT year, component,
           count(*) FILTER (WHERE participants_hidden) AS participants_hidden,
           count(*) FILTER (WHERE lived_hidden) AS lived_hidden
    FROM grouped GROUP BY ALL
),
lone AS (
    -- Rule 3: the one hidden district of a group, and its smallest organisation, per measure.
    SELECT g.year, m.measure,
           first(l.organisation_id ORDER BY o.participants, l.organisation_id) AS organisation_id
    FROM grouped AS g
    JOIN groups AS c USING (year, component)
    CROSS JOIN (VALUES ('participants'), ('lived')) AS m (measure)
    JOIN links AS l ON l.year = g.year AND l.area_code = g.id
    JOIN organisations AS o ON o.year = l.year AND o.organisation_id = l.organisation_id
    WHERE g.kind = 'district'
      AND ((m.measure = 'participants' AND g.participants_hidden AND c.participants_hidden = 1)
           OR (m.measure = 'lived' AND g.lived_hidden AND c.lived_hidden = 1))
    GROUP BY ALL
)
SELECT CAST(g.year AS INTEGER) AS year, g.kind, g.id, g.component,
       g.participants_hidden OR p.organisation_id IS NOT NULL AS participants_hidden,
       g.lived_hidden OR p.organisation_id IS NOT NULL OR l.organisation_id IS NOT NULL AS lived_hidden
FROM grouped AS g
LEFT JOIN lone AS p ON g.kind = 'organisation' AND p.measure = 'participants' AND p.year = g.year
     AND p.organisation_id = g.id
LEFT JOIN lone AS l ON g.kind = 'organisation' AND l.measure = 'lived' AND l.year = g.year
     AND l.organisation_id = g.id
