-- Violations: a count of people below $min_people worked out from the published tables, by differencing (a total minus its known parts) or by a share times its base. One row per recovery, with the evidence; zero rows pass.
-- The linter cannot parse DuckDB's USING KEY (1.3 on) yet, hence the noqa.
WITH RECURSIVE  -- noqa: PRS
people AS (
    SELECT area_code, year, measure, value, observation_status FROM marts.record_measures WHERE counts_people
),
participants AS (
    SELECT area_code, year, value FROM people WHERE measure = 'participants'
),
lived AS (
    SELECT area_code, year, value FROM people WHERE measure = 'participants_lived_experience'
),
memberships AS (
    -- Every grouping a LAD counts towards, England included.
    SELECT lad_code, grouping_code AS area_code FROM marts.area_groupings
    UNION
    SELECT area_code, 'E92000001' FROM marts.areas WHERE area_type = 'lad'
),
record_indicators AS (
    SELECT DISTINCT area_code, area_type, year, indicator_id, value, status
    FROM marts.igplus_scores
    WHERE level = 'indicator'
      AND (indicator_id IN ('records_paid_or_offered_pct', 'records_lived_hours_per_10k_gbp')
           OR indicator_id LIKE 'place\_%' ESCAPE '\' OR indicator_id LIKE 'records\_feedback\_%' ESCAPE '\')
),
shares AS (
    -- Share of participants paid or offered payment: share x participants gives a count of people.
    SELECT area_code, area_type, year, value AS share_pct
    FROM record_indicators
    WHERE indicator_id = 'records_paid_or_offered_pct' AND value IS NOT NULL
),
lad_paid AS (
    SELECT s.area_code, s.year, p.value AS participants, round(s.share_pct * p.value / 100.0) AS paid
    FROM shares AS s JOIN participants AS p USING (area_code, year)
    WHERE s.area_type = 'lad' AND p.value IS NOT NULL
),
grouping_bases AS (
    -- A grouping's participants, when every member LAD with records publishes its own.
    SELECT m.area_code, p.year, sum(p.value) AS participants, count(*) AS members
    FROM participants AS p JOIN memberships AS m ON m.lad_code = p.area_code
    GROUP BY ALL
    HAVING count(p.value) = count(*)
),
grouping_paid AS (
    SELECT s.area_code, s.year, b.participants, round(s.share_pct * b.participants / 100.0) AS paid
    FROM shares AS s JOIN grouping_bases AS b USING (area_code, year)
    WHERE s.area_type <> 'lad'
),
grouping_parts AS (
    -- What the members that publish a share account for, and how many members do not.
    SELECT g.area_code, g.year, g.paid, g.participants,
           coalesce(sum(l.paid), 0) AS known_paid, coalesce(sum(l.participants), 0) AS known_participants,
           count(*) FILTER (WHERE l.area_code IS NULL) AS hidden_members,
           string_agg(m.lad_code, ',' ORDER BY m.lad_code) FILTER (WHERE l.area_code IS NULL) AS hidden_codes
    FROM grouping_paid AS g
    JOIN memberships AS m ON m.area_code = g.area_code
    JOIN participants AS p ON p.area_code = m.lad_code AND p.year = g.year
    LEFT JOIN lad_paid AS l ON l.area_code = m.lad_code AND l.year = g.year
    GROUP BY ALL
),
org_served AS (
    -- Each organisation's published areas served in a year ('E06000018;E06000015').
    SELECT organisation_id, year, unnest(string_split(areas_served, ';')) AS area_code,
           len(string_split(areas_served, ';')) AS areas, involvement_activities
    FROM marts.organisation_reports
    WHERE areas_served IS NOT NULL
),
org_participants AS (
    SELECT organisation_id, year, value FROM marts.organisation_measures
    WHERE measure = 'participants' AND breakdown IS NULL
),
district_orgs AS (
    -- A district's participants are its organisations' when every organisation active there serves
    -- it alone: the district minus the organisations that publish theirs leaves the hidden ones'.
    SELECT s.area_code, s.year,
           bool_and(s.areas = 1 OR s.involvement_activities = 0) AS only_here,
           coalesce(sum(o.value) FILTER (WHERE s.involvement_activities > 0), 0) AS known,
           count(*) FILTER (WHERE s.involvement_activities > 0 AND o.value IS NULL) AS hidden_orgs,
           string_agg(s.organisation_id, ',' ORDER BY s.organisation_id)
               FILTER (WHERE s.involvement_activities > 0 AND o.value IS NULL) AS hidden_codes
    FROM org_served AS s
    LEFT JOIN org_participants AS o USING (organisation_id, year)
    GROUP BY ALL
),
links AS (
    -- Where each organisation works, by district and year (its programmes' activities): the intruder
    -- is assumed to know this exactly (areas_served tells it roughly).
    SELECT DISTINCT a.year, 'o:' || p.lead_organisation_id AS org_node, 'd:' || a.area_code AS district_node
    FROM staging.records_activities AS a
    JOIN staging.records_programmes AS p USING (programme_id)
),
edges AS (
    SELECT year, org_node AS node, district_node AS other FROM links
    UNION ALL
    SELECT year, district_node, org_node FROM links
),
labels (year, node, component) USING KEY (year, node) AS (
    -- Each node takes the least name in its group (label propagation: one row per node).
    SELECT DISTINCT year, node, node FROM edges
    UNION
    SELECT e.year, e.other, min(l.component)
    FROM labels AS l
    JOIN edges AS e ON l.year = e.year AND l.node = e.node
    JOIN recurring.labels AS r ON e.year = r.year AND e.other = r.node
    GROUP BY e.year, e.other, r.component
    HAVING min(l.component) < r.component
),
linked_figures AS (
    -- Organisations and districts linked by activities: the organisations' figures add up to the
    -- districts', so one hidden figure in a group is the difference of the published ones.
    SELECT g.year, g.component, g.node, f.measure, f.value
    FROM labels AS g
    JOIN (
        SELECT 'o:' || organisation_id AS node, year, measure, value
        FROM marts.organisation_measures
        WHERE measure IN ('participants', 'participants_lived_experience') AND breakdown IS NULL
        UNION ALL
        SELECT 'd:' || area_code, year, measure, value
        FROM people
        WHERE measure IN ('participants', 'participants_lived_experience')
    ) AS f USING (node, year)
),
linked_groups AS (
    SELECT year, component, measure,
           count(*) FILTER (WHERE value IS NULL) AS hidden,
           min(node) FILTER (WHERE value IS NULL) AS hidden_node,
           coalesce(sum(value) FILTER (WHERE node LIKE 'o:%'), 0) AS organisations,
           coalesce(sum(value) FILTER (WHERE node LIKE 'd:%'), 0) AS districts,
           string_agg(node, ',' ORDER BY node) AS members
    FROM linked_figures
    GROUP BY ALL
),
linked_recovered AS (
    SELECT year, measure, hidden_node, members, organisations, districts,
           CASE WHEN hidden_node LIKE 'd:%' THEN organisations - districts ELSE districts - organisations END
               AS recovered
    FROM linked_groups
    WHERE hidden = 1
),
recoveries AS (
    SELECT 'participants minus participants with lived experience' AS attack, p.area_code, p.year,
           'participants without lived experience' AS measure, p.value - l.value AS recovered,
           format('participants {} - with lived experience {}', p.value, l.value) AS evidence
    FROM participants AS p JOIN lived AS l USING (area_code, year)
    WHERE p.value IS NOT NULL AND l.value IS NOT NULL AND p.value - l.value < $min_people
    UNION ALL
    SELECT 'share x participants', area_code, year, 'participants paid or offered payment', paid,
           format('{} participants x published share', participants)
    FROM lad_paid WHERE paid < $min_people
    UNION ALL
    SELECT 'share x participants', area_code, year, 'participants not paid', participants - paid,
           format('{} participants x (100 - published share)', participants)
    FROM lad_paid WHERE participants - paid < $min_people
    UNION ALL
    SELECT 'grouping share x summed participants', area_code, year, 'participants paid or offered payment', paid,
           format('{} participants (sum of members) x published share', participants)
    FROM grouping_paid WHERE paid < $min_people OR participants - paid < $min_people
    UNION ALL
    SELECT 'grouping minus its known members', area_code, year, 'participants paid or offered payment',
           paid - known_paid, format('grouping {} - known members {}; hidden members {}', paid, known_paid, hidden_codes)
    FROM grouping_parts
    WHERE hidden_members > 0 AND (paid - known_paid < $min_people
                                  OR (participants - paid) - (known_participants - known_paid) < $min_people)
    UNION ALL
    SELECT 'district minus its organisations', d.area_code, d.year, 'participants of hidden organisations',
           p.value - d.known, format('district {} - published organisations {}; hidden {}', p.value, d.known, d.hidden_codes)
    FROM district_orgs AS d JOIN participants AS p USING (area_code, year)
    WHERE d.only_here AND d.hidden_orgs > 0 AND p.value IS NOT NULL AND p.value - d.known < $min_people
    UNION ALL
    SELECT 'one hidden among linked organisations and districts',
           CASE WHEN hidden_node LIKE 'd:%' THEN substr(hidden_node, 3) END, year, measure, recovered,
           format('hidden {}; published organisations {} and districts {} ({})', hidden_node, organisations,
                  districts, members)
    FROM linked_recovered
    WHERE recovered < $min_people
    UNION ALL
    -- A pooled value (a share or a mean over people) shown for a grouping while a member LAD's is
    -- suppressed: with the members' published bases, the grouping minus the others gives it back.
    SELECT 'grouping shows what a member hides', g.area_code, g.year, g.indicator_id, NULL,
           format('member {} suppressed, grouping value published', l.area_code)
    FROM record_indicators AS g
    JOIN memberships AS m ON m.area_code = g.area_code
    JOIN record_indicators AS l ON l.area_code = m.lad_code AND l.area_type = 'lad' AND l.year = g.year
        AND l.indicator_id = g.indicator_id
    WHERE g.area_type <> 'lad' AND g.value IS NOT NULL AND l.status = 'suppressed'
)
SELECT attack, area_code, year, measure, recovered, evidence
FROM recoveries
ORDER BY attack, area_code, year, measure
