-- A landing table's columns as "name TYPE", for the Great Expectations check of its contract.
SELECT column_name || ' ' || data_type AS name_and_type
FROM information_schema.columns
WHERE table_schema = 'landing' AND table_name = $table_name
ORDER BY ordinal_position
