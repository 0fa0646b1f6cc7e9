-- Participant feedback, typed: answer counts per statement on the five-point agreement scale, with the
-- programme, its lead organisation, the local authority and year it belongs to. Feedback on one
-- activity sits in that activity's local authority; feedback on a whole programme in the local
-- authority its lead organisation is based in (as contributors are placed). Counts only, no people.
WITH
feedback AS (
    SELECT CAST(feedback_id AS VARCHAR) AS feedback_id,
           CAST(activity_id AS VARCHAR) AS activity_id,
           CAST(programme_id AS VARCHAR) AS programme_id,
           CAST(collected_date AS DATE) AS collected_date,
           CAST(statement AS VARCHAR) AS statement,
           CAST(strongly_disagree AS BIGINT) AS strongly_disagree,
           CAST(disagree AS BIGINT) AS disagree,
           CAST(neither AS BIGINT) AS neither,
           CAST(agree AS BIGINT) AS agree,
           CAST(strongly_agree AS BIGINT) AS strongly_agree
    FROM landing.records_participant_feedback
),
activities AS (
    SELECT activity_id, programme_id, area_code FROM staging.records_activities
),
programmes AS (
    SELECT programme_id, lead_organisation_id FROM staging.records_programmes
),
organisations AS (
    SELECT organisation_id, area_code FROM staging.records_organisations
),
resolved AS (
    SELECT f.*, coalesce(a.programme_id, f.programme_id) AS resolved_programme_id, a.area_code AS activity_area
    FROM feedback AS f
    LEFT JOIN activities AS a USING (activity_id)
)
SELECT r.feedback_id, r.activity_id, r.resolved_programme_id AS programme_id,
       p.lead_organisation_id AS organisation_id,
       coalesce(r.activity_area, o.area_code) AS area_code,
       r.collected_date, CAST(year(r.collected_date) AS INTEGER) AS year, r.statement,
       r.strongly_disagree, r.disagree, r.neither, r.agree, r.strongly_agree,
       r.strongly_disagree + r.disagree + r.neither + r.agree + r.strongly_agree AS answers,
       r.agree + r.strongly_agree AS agreeing
FROM resolved AS r
JOIN programmes AS p ON p.programme_id = r.resolved_programme_id
LEFT JOIN organisations AS o ON o.organisation_id = p.lead_organisation_id
