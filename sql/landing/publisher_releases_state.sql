-- What the last look at each publisher found (releases listed, when checked), for the sources' outcome.
SELECT * FROM landing.publisher_releases ORDER BY ALL
