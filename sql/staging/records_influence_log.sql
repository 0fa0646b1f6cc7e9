-- Influence log (you said, we did), typed: recommendation, activity, decision and dates (no text).
SELECT CAST(recommendation_id AS VARCHAR) AS recommendation_id,
       CAST(activity_id AS VARCHAR) AS activity_id,
       CAST(decision AS VARCHAR) AS decision,
       CAST(decision_date AS DATE) AS decision_date,
       CAST(fed_back_date AS DATE) AS fed_back_date
FROM landing.records_influence_log
