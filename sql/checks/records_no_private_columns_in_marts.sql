-- Violations: marts columns named like contributor identifiers or free-text record fields.
SELECT table_name, column_name
FROM information_schema.columns
WHERE table_schema = 'marts'
  AND (list_contains($private_columns, column_name) OR column_name ILIKE '%contributor%')
