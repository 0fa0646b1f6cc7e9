-- Recommendations with the local authority and year of the activity they came from (no text).
WITH
influence AS (
    SELECT recommendation_id, activity_id, decision, fed_back_date FROM staging.records_influence_log
),
activities AS (
    SELECT activity_id, area_code, year FROM staging.records_activities
)
SELECT i.recommendation_id, a.area_code, a.year, i.decision, i.fed_back_date IS NOT NULL AS fed_back
FROM influence AS i
JOIN activities AS a USING (activity_id)
