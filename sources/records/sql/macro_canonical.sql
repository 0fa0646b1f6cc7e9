-- Allowed values match ignoring case, spaces and hyphens: 'Agenda setting' -> 'agenda_setting'.
CREATE OR REPLACE TEMP MACRO rec_canonical(s) AS
    regexp_replace(lower(rec_strip(s)),
                   '[\s\x{0b}\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}-]+',
                   '_', 'g')
