-- 'c_' + 32 hex digits of HMAC-SHA256(key, identifier), the identifier trimmed and case-folded; the
-- key's inner and outer pads come from rec_key (RFC 2104), so pseudonyms match privacy.pseudonymise.
CREATE OR REPLACE TEMP MACRO rec_pseudonym(x) AS
    CASE WHEN x IS NOT NULL THEN 'c_' || left(sha256((SELECT opad FROM rec_key) || unhex(sha256(
        (SELECT ipad FROM rec_key) || encode(CASE WHEN regexp_full_match(rec_strip(x), '[\x00-\x7f]*')
                                                  THEN lower(rec_strip(x)) ELSE rec_py_casefold(rec_strip(x)) END)))), 32) END
