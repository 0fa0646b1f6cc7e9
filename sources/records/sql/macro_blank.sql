-- An empty cell: nothing, or only white space.
CREATE OR REPLACE TEMP MACRO rec_blank(s) AS (s IS NULL OR rec_strip(s) = '')
