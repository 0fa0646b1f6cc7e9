-- IG+ pillar B inputs per area (LAD, region, combined authority, LEP, England) and calendar year,
-- from the co-production records: ratios and medians only, never rows about people. A grouping
-- pools the records of its LADs (a LAD in two LEPs counts in both). Statistical disclosure control
-- (docs/records.md), for values derived from counts of people: suppressed (value NULL,
-- observation_status 'suppressed') when resting on fewer than $min_people people, when a share of
-- people has fewer than $min_people inside or outside it (share x people would give the count), and,
-- for a grouping, when any member LAD's value is suppressed (grouping minus the other members would
-- give it back).
WITH
activities AS (
    SELECT activity_id, area_code AS lad_code, activity_date, year, ladder_step, participants,
           participants_lived_experience AS lived, hours, notice_days, payment
    FROM staging.records_activities
),
influence AS (
    SELECT activity_id, decision, fed_back_date FROM staging.records_influence_log
),
programmes AS (
    SELECT programme_id, lead_organisation_id, budget_gbp, start_date, end_date FROM staging.records_programmes
),
programme_lads AS (
    SELECT programme_id, area_code AS lad_code FROM staging.records_programme_areas
),
partners AS (
    SELECT programme_id, organisation_id FROM staging.records_programme_partners
),
programme_years AS (
    SELECT programme_id, area_code AS lad_code, year FROM staging.records_programme_years
),
organisations AS (
    SELECT organisation_id, sector, area_code AS lad_code FROM staging.records_organisations
),
register AS (
    -- Signed up to any inclusion framework on that date (one row per organisation and date).
    SELECT organisation_id, assessment_date, year, bool_or(signed_up) AS signed_up
    FROM staging.records_framework_register
    GROUP BY ALL
),
surveys AS (
    SELECT area_code AS lad_code, year, respondents, influence_and_sense_of_control, identity_and_belonging,
           feeling_safe
    FROM staging.records_place_surveys
),
feedback AS (
    SELECT area_code AS lad_code, year, statement, answers, agreeing FROM staging.records_participant_feedback
),
area_map AS (
    -- Every LAD stands for itself, its groupings and England.
    SELECT lad_code, area_code, area_type FROM intermediate.lad_rollup
),
-- Budget spread over the calendar days a programme runs and evenly over the LADs it serves.
programme_days AS (
    SELECT p.programme_id, p.budget_gbp, p.start_date, p.end_date,
           date_diff('day', p.start_date, p.end_date) + 1 AS total_days,
           count(*) OVER (PARTITION BY p.programme_id) AS n_lads,
           pl.lad_code
    FROM programmes AS p
    JOIN programme_lads AS pl USING (programme_id)
    WHERE p.budget_gbp IS NOT NULL AND p.end_date IS NOT NULL AND p.end_date >= p.start_date
),
lad_budget AS (
    SELECT d.lad_code, y.year,
           sum(d.budget_gbp / d.n_lads * (date_diff('day',
               greatest(d.start_date, make_date(y.year, 1, 1)),
               least(d.end_date, make_date(y.year, 12, 31))) + 1) / d.total_days) AS budget_gbp
    FROM programme_days AS d
    JOIN programme_years AS y ON y.programme_id = d.programme_id AND y.lad_code = d.lad_code
    WHERE make_date(y.year, 1, 1) <= d.end_date AND make_date(y.year, 12, 31) >= d.start_date
    GROUP BY ALL
),
recommendations AS (
    -- Closed: a decision fed back 0 to 90 days after the activity. A feedback date before the
    -- activity is a recording error, never a quick closure.
    SELECT a.lad_code, a.year,
           i.decision <> 'pending' AND i.fed_back_date IS NOT NULL
               AND date_diff('day', a.activity_date, i.fed_back_date) BETWEEN 0 AND 90 AS closed_in_90_days
    FROM influence AS i
    JOIN activities AS a USING (activity_id)
),
programme_sectors AS (
    SELECT y.lad_code, y.year, o.sector
    FROM programme_years AS y
    JOIN (SELECT programme_id, lead_organisation_id AS organisation_id FROM programmes
          UNION SELECT programme_id, organisation_id FROM partners) AS po USING (programme_id)
    JOIN organisations AS o USING (organisation_id)
),
record_years AS (
    -- The LAD-years with any co-production record; framework adoption is reported for these.
    SELECT lad_code, year FROM activities
    UNION SELECT lad_code, year FROM programme_years
    UNION SELECT lad_code, year FROM surveys
    UNION SELECT o.lad_code, r.year FROM register AS r
        JOIN organisations AS o USING (organisation_id) WHERE o.lad_code IS NOT NULL
),
adoption AS (
    -- Each organisation based in a LAD, with its latest register answer in or before each year.
    SELECT ry.lad_code, ry.year, o.organisation_id,
           coalesce(arg_max(r.signed_up, r.assessment_date), false) AS signed_up
    FROM record_years AS ry
    JOIN organisations AS o ON o.lad_code = ry.lad_code
    LEFT JOIN register AS r ON r.organisation_id = o.organisation_id AND year(r.assessment_date) <= ry.year
    GROUP BY ALL
),
measures AS (
    SELECT m.area_code, m.area_type, a.year, 'records_ladder_6_7_pct' AS indicator_id,
           100.0 * count(*) FILTER (WHERE a.ladder_step >= 6) / count(*) AS value, CAST(NULL AS BIGINT) AS people,
           CAST(NULL AS BIGINT) AS people_in_share
    FROM activities AS a JOIN area_map AS m USING (lad_code) GROUP BY ALL
    UNION ALL
    SELECT m.area_code, m.area_type, a.year, 'records_notice_days_median',
           median(a.notice_days), NULL, NULL
    FROM activities AS a JOIN area_map AS m USING (lad_code)
    WHERE a.notice_days IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT m.area_code, m.area_type, a.year, 'records_paid_or_offered_pct',
           100.0 * sum(a.participants) FILTER (WHERE a.payment IN ('paid', 'offered_declined'))
               / nullif(sum(a.participants), 0),
           sum(a.participants),
           coalesce(sum(a.participants) FILTER (WHERE a.payment IN ('paid', 'offered_declined')), 0)
    FROM activities AS a JOIN area_map AS m USING (lad_code) GROUP BY ALL
    UNION ALL
    SELECT h.area_code, h.area_type, h.year, 'records_lived_hours_per_10k_gbp',
           h.hours / nullif(b.budget_gbp / 10000.0, 0), h.lived, NULL
    FROM (SELECT m.area_code, m.area_type, a.year, sum(a.hours * a.lived) AS hours, sum(a.lived) AS lived
          FROM activities AS a JOIN area_map AS m USING (lad_code)
          WHERE a.hours IS NOT NULL GROUP BY ALL) AS h
    JOIN (SELECT m.area_code, lb.year, sum(lb.budget_gbp) AS budget_gbp
          FROM lad_budget AS lb JOIN area_map AS m USING (lad_code) GROUP BY ALL) AS b
        USING (area_code, year)
    UNION ALL
    SELECT m.area_code, m.area_type, r.year, 'records_fed_back_90d_pct',
           100.0 * count(*) FILTER (WHERE r.closed_in_90_days) / count(*), NULL, NULL
    FROM recommendations AS r JOIN area_map AS m USING (lad_code) GROUP BY ALL
    UNION ALL
    SELECT m.area_code, m.area_type, s.year, 'records_partner_sectors', count(DISTINCT s.sector), NULL, NULL
    FROM programme_sectors AS s JOIN area_map AS m USING (lad_code) GROUP BY ALL
    UNION ALL
    SELECT m.area_code, m.area_type, d.year, 'records_framework_signed_up_pct',
           100.0 * count(*) FILTER (WHERE d.signed_up) / count(*), NULL, NULL
    FROM adoption AS d JOIN area_map AS m USING (lad_code) GROUP BY ALL
    UNION ALL
    SELECT m.area_code, m.area_type, s.year, 'place_' || t.theme,
           sum(s.respondents * t.score) / nullif(sum(s.respondents), 0), sum(s.respondents), NULL
    FROM surveys AS s
    CROSS JOIN LATERAL (VALUES ('influence_and_sense_of_control', s.influence_and_sense_of_control),
                               ('identity_and_belonging', s.identity_and_belonging),
                               ('feeling_safe', s.feeling_safe)) AS t(theme, score)  -- noqa: LT01
    JOIN area_map AS m USING (lad_code) GROUP BY ALL
    UNION ALL
    -- Participants' own voice: % agreeing (agree or strongly agree) with each statement, a share of
    -- people like the paid share: shown only when at least 5 answers agree and at least 5 do not.
    SELECT m.area_code, m.area_type, f.year, 'records_feedback_' || f.statement || '_pct',
           100.0 * sum(f.agreeing) / nullif(sum(f.answers), 0), sum(f.answers), sum(f.agreeing)
    FROM feedback AS f JOIN area_map AS m USING (lad_code) GROUP BY ALL
),
primary_suppression AS (
    SELECT *,
           coalesce(people < $min_people OR people_in_share < $min_people
                    OR people - people_in_share < $min_people, false) AS primary_hidden
    FROM measures
),
secondary_suppression AS (
    -- Every grouping holding a LAD whose value is hidden.
    SELECT DISTINCT m.area_code, p.year, p.indicator_id
    FROM primary_suppression AS p
    JOIN area_map AS m ON m.lad_code = p.area_code
    WHERE p.area_type = 'lad' AND p.primary_hidden AND m.area_type <> 'lad'
),
suppressed AS (
    SELECT p.*, p.primary_hidden OR s.area_code IS NOT NULL AS hidden
    FROM primary_suppression AS p
    LEFT JOIN secondary_suppression AS s USING (area_code, year, indicator_id)
)
SELECT area_code, area_type, CAST(year AS INTEGER) AS year, indicator_id,
       CASE WHEN hidden THEN NULL ELSE CAST(value AS DOUBLE) END AS value,
       CASE WHEN hidden THEN 'suppressed' END AS observation_status
FROM suppressed
ORDER BY area_type, area_code, year, indicator_id
