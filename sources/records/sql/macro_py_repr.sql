-- In a check, until some text needs Python: Python's repr() of text of printable ASCII characters
-- (quoted in ' unless it holds ' and no ", escaping only the backslash and that quote). Any other
-- text raises an error the engine recognises: it then registers the Python function in its place
-- and runs the statement again (engine.py), since registering one imports numpy (0.1 s of a check).
CREATE OR REPLACE TEMP MACRO rec_py_repr(s) AS (
    CASE
        WHEN s IS NULL THEN NULL
        WHEN NOT regexp_full_match(s, '[ -~]*') THEN error('rec_py_functions_needed')
        WHEN contains(s, '''') AND NOT contains(s, '"') THEN '"' || replace(s, '\', '\\') || '"'
        ELSE '''' || replace(replace(s, '\', '\\'), '''', '\''') || ''''
    END
)
