-- Co-production record measures per local authority and year: counts only. Statistical disclosure
-- control (docs/records.md): any count of people below $min_people is suppressed (primary), and so is
-- a count from which one could be worked out: people with lived experience when the rest of the
-- participants (participants minus them) are fewer than $min_people, and a district's participants
-- (and people with lived experience) when any organisation or district linked to it by activities
-- hides them (staging.records_people_linked: linked totals add up, so one hidden among them is the
-- others' difference) (secondary). Suppressed values are NULL with observation_status 'suppressed'.
WITH
activities AS (
    SELECT * FROM staging.records_activities
),
contributors AS (
    SELECT contributor_pseudonym, organisation_id, first_involved, last_involved FROM staging.records_contributors
),
programme_years AS (
    SELECT * FROM staging.records_programme_years
),
contributor_years AS (
    SELECT * FROM staging.records_contributor_years
),
influence AS (
    SELECT * FROM staging.records_influence
),
register AS (
    SELECT organisation_id, year, signed_up FROM staging.records_framework_register
),
organisations AS (
    SELECT organisation_id, area_code FROM staging.records_organisations WHERE area_code IS NOT NULL
),
surveys AS (
    SELECT area_code, year, respondents FROM staging.records_place_surveys
),
status AS (
    SELECT coalesce(bool_or(example_data), false) AS example_data FROM landing.records_status
),
register_areas AS (
    SELECT r.organisation_id, r.year, r.signed_up, o.area_code
    FROM register AS r
    JOIN organisations AS o USING (organisation_id)
),
counts AS (
    SELECT area_code, year, 'programmes_active' AS measure, count(DISTINCT programme_id) AS value,
           false AS counts_people FROM programme_years GROUP BY ALL
    UNION ALL
    SELECT area_code, year, 'involvement_activities', count(*), false FROM activities GROUP BY ALL
    UNION ALL
    SELECT area_code, year, 'activities_codesign_or_above', count(*) FILTER (WHERE ladder_step >= 6), false
    FROM activities GROUP BY ALL
    UNION ALL
    SELECT area_code, year, 'activities_with_paid_participants', count(*) FILTER (WHERE payment = 'paid'), false
    FROM activities GROUP BY ALL
    UNION ALL
    SELECT area_code, year, 'participants', sum(participants), true FROM activities GROUP BY ALL
    UNION ALL
    SELECT area_code, year, 'participants_lived_experience', sum(participants_lived_experience), true
    FROM activities GROUP BY ALL
    UNION ALL
    SELECT area_code, year, 'recommendations', count(*), false FROM influence GROUP BY ALL
    UNION ALL
    SELECT area_code, year, 'recommendations_adopted_or_partly',
           count(*) FILTER (WHERE decision IN ('adopted', 'partly')), false
    FROM influence GROUP BY ALL
    UNION ALL
    SELECT area_code, year, 'recommendations_fed_back', count(*) FILTER (WHERE fed_back), false
    FROM influence GROUP BY ALL
    UNION ALL
    SELECT area_code, year, 'contributors_active', count(DISTINCT contributor_pseudonym), true
    FROM contributor_years GROUP BY ALL
    UNION ALL
    SELECT area_code, year, 'organisations_signed_up', count(DISTINCT organisation_id) FILTER (WHERE signed_up),
           false
    FROM register_areas GROUP BY ALL
    UNION ALL
    SELECT area_code, year, 'place_survey_respondents', sum(respondents), true FROM surveys GROUP BY ALL
),
linked AS (
    SELECT id AS area_code, year, participants_hidden, lived_hidden
    FROM staging.records_people_linked
    WHERE kind = 'district'
),
organisation_contributors AS (
    SELECT organisation_id, year, count(DISTINCT contributor_pseudonym) AS contributors
    FROM (SELECT contributor_pseudonym, organisation_id,
                 unnest(range(year(first_involved), least(coalesce(year(last_involved), year(first_involved)),
                                                           year(first_involved) + 49) + 1)) AS year
          FROM contributors) AS contributor_years
    GROUP BY ALL
),
district_contributors_hidden AS (
    SELECT org.area_code, c.year, bool_or(c.contributors < $min_people) AS contributors_hidden
    FROM organisation_contributors AS c JOIN organisations AS org USING (organisation_id)
    GROUP BY ALL
),
primary_suppressed AS (
    SELECT *, counts_people AND value < $min_people AS suppressed FROM counts
),
lived_margin AS (
    -- participants = with lived experience + without: publishing two of the three gives the third.
    SELECT area_code, year,
           max(value) FILTER (WHERE measure = 'participants')
               - max(value) FILTER (WHERE measure = 'participants_lived_experience') AS without_lived
    FROM counts
    WHERE measure IN ('participants', 'participants_lived_experience')
    GROUP BY ALL
),
suppressed AS (
    SELECT p.*,
           p.suppressed
               OR (p.measure = 'participants_lived_experience' AND m.without_lived < $min_people)
               OR (p.measure = 'participants' AND coalesce(d.participants_hidden, false))
               OR (p.measure = 'participants_lived_experience' AND coalesce(d.lived_hidden, false))
               OR (p.measure = 'contributors_active' AND coalesce(dc.contributors_hidden, false)) AS hidden
    FROM primary_suppressed AS p
    LEFT JOIN lived_margin AS m USING (area_code, year)
    LEFT JOIN linked AS d USING (area_code, year)
    LEFT JOIN district_contributors_hidden AS dc USING (area_code, year)
)
SELECT c.area_code,
       c.year,
       c.measure,
       CASE WHEN c.hidden THEN NULL ELSE CAST(c.value AS BIGINT) END AS value,
       'count' AS unit,
       c.counts_people,
       CASE WHEN c.hidden THEN 'suppressed' END AS observation_status,
       s.example_data
FROM suppressed AS c
CROSS JOIN status AS s
ORDER BY c.area_code, c.year, c.measure
