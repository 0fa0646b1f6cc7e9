-- Place Standard surveys, typed: local authority, date, year, respondents and the 14 theme scores.
CREATE OR REPLACE TABLE staging.records_place_surveys AS
SELECT CAST(survey_id AS VARCHAR) AS survey_id,
       CAST(local_authority_code AS VARCHAR) AS area_code,
       CAST(survey_date AS DATE) AS survey_date,
       CAST(year(CAST(survey_date AS DATE)) AS INTEGER) AS year,
       CAST(respondents AS BIGINT) AS respondents,
       CAST(moving_around AS DOUBLE) AS moving_around,
       CAST(public_transport AS DOUBLE) AS public_transport,
       CAST(traffic_and_parking AS DOUBLE) AS traffic_and_parking,
       CAST(streets_and_spaces AS DOUBLE) AS streets_and_spaces,
       CAST(natural_space AS DOUBLE) AS natural_space,
       CAST(play_and_recreation AS DOUBLE) AS play_and_recreation,
       CAST(facilities_and_services AS DOUBLE) AS facilities_and_services,
       CAST(work_and_local_economy AS DOUBLE) AS work_and_local_economy,
       CAST(housing_and_community AS DOUBLE) AS housing_and_community,
       CAST(social_contact AS DOUBLE) AS social_contact,
       CAST(identity_and_belonging AS DOUBLE) AS identity_and_belonging,
       CAST(feeling_safe AS DOUBLE) AS feeling_safe,
       CAST(care_and_maintenance AS DOUBLE) AS care_and_maintenance,
       CAST(influence_and_sense_of_control AS DOUBLE) AS influence_and_sense_of_control
FROM landing.records_place_surveys
