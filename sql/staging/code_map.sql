-- Every local-authority code seen in any source, mapped to the target LAD vintage
-- (identity for codes that never changed). Built by sources.geography.target_code_map.
SELECT source_code, target_code, relation
FROM landing.geography__code_map
