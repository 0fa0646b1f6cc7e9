-- A cell's text without surrounding white space of any kind (as Python's str.strip()). The
-- character-set trim is slow, so it runs only on the few cells that start or end with white space.
CREATE OR REPLACE TEMP MACRO rec_strip(s) AS
    CASE WHEN regexp_matches(s, '^[\s\x{0b}\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]|[\s\x{0b}\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]$') THEN trim(s, rec_ws()) ELSE s END
