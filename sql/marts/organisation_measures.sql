-- Inclusion Report measures per organisation and calendar year, one row per measure (and breakdown):
-- involvement by stage, ladder step and method; people taking part; hours and money invested in lived
-- experience; "you said, we did"; participants' own ratings. Activities, recommendations and feedback
-- belong to the programme's lead organisation. Disclosure: a count of people (counts_people) below
-- $min_people is suppressed (value NULL, observation_status 'suppressed'); when the organisation had
-- fewer than $min_people participants in the year, every figure about people (counts, hours, money,
-- ratings) is suppressed; a rating's agreeing and not-agreeing counts (and its share) are shown only
-- when both are at least $min_people, so neither can be worked out from the total; likewise people
-- with lived experience (of participants) and people trained (of active contributors); and participants
-- (or people with lived experience) that an organisation or district linked to it by activities hides.
WITH
activities AS (
    SELECT a.*, p.lead_organisation_id AS organisation_id
    FROM staging.records_activities AS a
    JOIN staging.records_programmes AS p USING (programme_id)
),
influence AS (
    SELECT i.recommendation_id, i.decision, i.fed_back_date, a.organisation_id, a.year, a.activity_date
    FROM staging.records_influence_log AS i
    JOIN activities AS a USING (activity_id)
),
contributors AS (
    SELECT contributor_pseudonym, organisation_id, training_hours,
           year(first_involved) AS first_year, coalesce(year(last_involved), year(first_involved)) AS last_year
    FROM staging.records_contributors
),
contributor_years AS (
    SELECT contributor_pseudonym, organisation_id, training_hours,
           CAST(unnest(range(first_year, least(last_year, first_year + 49) + 1)) AS INTEGER) AS year
    FROM contributors
),
feedback AS (
    SELECT organisation_id, year, statement, sum(answers) AS answers, sum(agreeing) AS agreeing
    FROM staging.records_participant_feedback
    GROUP BY ALL
),
led_years AS (
    SELECT p.lead_organisation_id AS organisation_id, y.year, y.programme_id, y.area_code
    FROM staging.records_programme_years AS y
    JOIN staging.records_programmes AS p USING (programme_id)
),
partner_years AS (
    SELECT pp.organisation_id, y.year, y.programme_id, y.area_code
    FROM staging.records_programme_years AS y
    JOIN staging.records_programme_partners AS pp USING (programme_id)
),
participants AS (
    SELECT organisation_id, year, sum(participants) AS people FROM activities GROUP BY ALL
),
active AS (
    SELECT organisation_id, year, count(DISTINCT contributor_pseudonym) AS contributors
    FROM contributor_years GROUP BY ALL
),
linked AS (
    -- Participants hidden by an organisation or district linked to this one by activities: the linked
    -- totals add up, so one hidden among them is the others' difference (an organisation working in
    -- two districts, one of them hidden).
    SELECT id AS organisation_id, year, participants_hidden, lived_hidden
    FROM staging.records_people_linked
    WHERE kind = 'organisation'
),
status AS (
    SELECT coalesce(bool_or(CAST(example_data AS BOOLEAN)), false) AS example_data FROM landing.records_status
),
-- section, measure, breakdown, value, unit, counts_people, about_people (suppressed with the organisation)
measures AS (
    SELECT organisation_id, year, 'programmes' AS section, 'programmes_led' AS measure, NULL AS breakdown,
           count(DISTINCT programme_id) AS value, 'count' AS unit, false AS counts_people, false AS about_people
    FROM led_years GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'programmes', 'programmes_as_partner', NULL, count(DISTINCT programme_id),
           'count', false, false
    FROM partner_years GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'programmes', 'areas_served', NULL, count(DISTINCT area_code), 'count', false, false
    FROM (SELECT * FROM led_years UNION ALL SELECT * FROM partner_years) AS org_years GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'involvement', 'activities', NULL, count(*), 'count', false, false
    FROM activities GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'involvement', 'activities_by_stage', stage, count(*), 'count', false, false
    FROM activities GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'involvement', 'activities_codesign_or_above_by_stage', stage,
           count(*) FILTER (WHERE ladder_step >= 6), 'count', false, false
    FROM activities GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'involvement', 'activities_by_ladder_step', CAST(ladder_step AS VARCHAR), count(*),
           'count', false, false
    FROM activities GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'involvement', 'activities_by_method', method, count(*), 'count', false, false
    FROM activities GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'involvement', 'participants', NULL, sum(participants), 'count', true, true
    FROM activities GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'involvement', 'participants_lived_experience', NULL,
           sum(participants_lived_experience), 'count', true, true
    FROM activities GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'involvement', 'contributors_active', NULL, count(DISTINCT contributor_pseudonym),
           'count', true, true
    FROM contributor_years GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'investment', 'lived_experience_hours', NULL,
           sum(hours * participants_lived_experience), 'hours', false, true
    FROM activities WHERE hours IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'investment', 'payments_gbp', NULL, sum(payment_amount_gbp), 'gbp', false, true
    FROM activities WHERE payment_amount_gbp IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'investment', 'activities_paid_or_offered', NULL,
           count(*) FILTER (WHERE payment IN ('paid', 'offered_declined')), 'count', false, false
    FROM activities GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'investment', 'contributor_training_hours', NULL, sum(training_hours), 'hours',
           false, true
    FROM contributor_years WHERE training_hours IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'investment', 'contributors_trained', NULL,
           count(DISTINCT contributor_pseudonym) FILTER (WHERE training_hours > 0), 'count', true, true
    FROM contributor_years GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'influence', 'recommendations', NULL, count(*), 'count', false, false
    FROM influence GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'influence', 'recommendations_by_decision', decision, count(*), 'count', false, false
    FROM influence GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'influence', 'recommendations_fed_back', NULL,
           count(*) FILTER (WHERE fed_back_date IS NOT NULL), 'count', false, false
    FROM influence GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'influence', 'recommendations_fed_back_within_90_days', NULL,
           count(*) FILTER (WHERE date_diff('day', activity_date, fed_back_date) BETWEEN 0 AND 90), 'count', false, false
    FROM influence GROUP BY ALL
    UNION ALL
    -- A feedback date before its activity is a recording error: not "within 90 days", not a day count.
    SELECT organisation_id, year, 'influence', 'median_days_to_feedback', NULL,
           median(date_diff('day', activity_date, fed_back_date)), 'days', false, false
    FROM influence WHERE fed_back_date >= activity_date GROUP BY ALL
    UNION ALL
    SELECT organisation_id, year, 'feedback', 'feedback_answers', statement, answers, 'count', true, true
    FROM feedback
    UNION ALL
    SELECT organisation_id, year, 'feedback', 'feedback_agreeing', statement, agreeing, 'count', true, true
    FROM feedback
    UNION ALL
    SELECT organisation_id, year, 'feedback', 'feedback_not_agreeing', statement, answers - agreeing, 'count',
           true, true
    FROM feedback
    UNION ALL
    SELECT organisation_id, year, 'feedback', 'feedback_agree_pct', statement, 100.0 * agreeing / answers, 'percent',
           false, true
    FROM feedback
),
feedback_hidden AS (
    -- A statement's split is hidden unless both sides are at least $min_people.
    SELECT organisation_id, year, statement AS breakdown,
           agreeing < $min_people OR answers - agreeing < $min_people AS hidden
    FROM feedback
),
flagged AS (
    SELECT m.*,
           coalesce(p.people, 0) < $min_people AS too_few_participants,
           (m.counts_people AND m.value < $min_people)
           OR (m.about_people AND coalesce(p.people, 0) < $min_people)
           OR (m.measure IN ('feedback_agreeing', 'feedback_not_agreeing', 'feedback_agree_pct')
               AND coalesce(h.hidden, true))
           -- Complementary: the part must not give back a small remainder from its published total.
           OR (m.measure = 'participants_lived_experience' AND p.people - m.value < $min_people)
           OR (m.measure = 'contributors_trained' AND c.contributors - m.value < $min_people)
           OR (m.measure = 'participants' AND coalesce(l.participants_hidden, false))
           OR (m.measure = 'participants_lived_experience' AND coalesce(l.lived_hidden, false)) AS suppressed
    FROM measures AS m
    LEFT JOIN participants AS p USING (organisation_id, year)
    LEFT JOIN active AS c USING (organisation_id, year)
    LEFT JOIN feedback_hidden AS h USING (organisation_id, year, breakdown)
    LEFT JOIN linked AS l USING (organisation_id, year)
)
SELECT f.organisation_id, CAST(f.year AS INTEGER) AS year, f.section, f.measure, f.breakdown,
       CASE WHEN f.suppressed THEN NULL ELSE CAST(f.value AS DOUBLE) END AS value,
       f.unit, f.counts_people,
       CASE WHEN f.suppressed THEN 'suppressed' END AS observation_status,
       f.too_few_participants, s.example_data
FROM flagged AS f
CROSS JOIN status AS s
ORDER BY f.organisation_id, f.year, f.section, f.measure, f.breakdown
