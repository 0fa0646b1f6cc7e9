-- Violations: marts columns named like contributor identifiers or free-text record fields.
-- The indicator catalogue's own description (our text, not records) is the one allowed match.
SELECT table_name, column_name
FROM information_schema.columns
WHERE table_schema = 'marts'
  AND (list_contains($private_columns, column_name) OR column_name ILIKE '%contributor%')
  AND NOT (table_name = 'indicators' AND column_name = 'description')
