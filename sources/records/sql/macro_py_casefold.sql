-- In a check, until some text needs Python: str.casefold() of ASCII text, which is lower(). Any
-- other text raises the error that makes the engine register the Python function (macro_py_repr).
CREATE OR REPLACE TEMP MACRO rec_py_casefold(s) AS (
    CASE
        WHEN s IS NULL THEN NULL
        WHEN NOT regexp_full_match(s, '[\x00-\x7f]*') THEN error('rec_py_functions_needed')
        ELSE lower(s)
    END
)
