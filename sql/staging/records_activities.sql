-- Involvement activities that loaded, typed, with their calendar year (no free text exists here).
WITH
typed AS (
    SELECT CAST(activity_id AS VARCHAR) AS activity_id,
           CAST(programme_id AS VARCHAR) AS programme_id,
           CAST(local_authority_code AS VARCHAR) AS area_code,
           CAST(activity_date AS DATE) AS activity_date,
           CAST(stage AS VARCHAR) AS stage,
           CAST(method AS VARCHAR) AS method,
           CAST(ladder_step AS INTEGER) AS ladder_step,
           CAST(participants AS BIGINT) AS participants,
           CAST(participants_lived_experience AS BIGINT) AS participants_lived_experience,
           CAST(hours AS DOUBLE) AS hours,
           CAST(notice_days AS INTEGER) AS notice_days,
           CAST(payment AS VARCHAR) AS payment,
           CAST(payment_amount_gbp AS DOUBLE) AS payment_amount_gbp
    FROM landing.records_activities
)
SELECT *, CAST(year(activity_date) AS INTEGER) AS year
FROM typed
