-- An empty cell: nothing, or only white space (any character Python's str.isspace() accepts). A
-- cell starting with a printable ASCII character is not blank, which spares nearly every cell the
-- regular expression.
CREATE OR REPLACE TEMP MACRO rec_blank(s) AS (
    CASE
        WHEN s IS NULL THEN TRUE
        WHEN ascii(s) BETWEEN 33 AND 126 THEN FALSE
        ELSE regexp_full_match(s, '[\s\x{0b}\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]*')
    END
)
