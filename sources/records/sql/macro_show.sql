-- A cell quoted in a message: its first 40 characters, quoted as Python's repr() quotes them.
CREATE OR REPLACE TEMP MACRO rec_show(s) AS
    rec_py_repr(CASE WHEN length(s) <= 40 THEN s ELSE substring(s, 1, 40) || '...' END)
