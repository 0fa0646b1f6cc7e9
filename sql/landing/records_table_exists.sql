-- Whether landing.<name> exists (used to degrade gracefully when geography has not landed yet).
SELECT count(*) > 0 AS present
FROM information_schema.tables
WHERE table_schema = $schema AND table_name = $name
