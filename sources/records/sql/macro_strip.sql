-- A cell's text without surrounding white space of any kind.
CREATE OR REPLACE TEMP MACRO rec_strip(s) AS trim(s, rec_ws())
