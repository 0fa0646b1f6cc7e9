-- A records file's pseudonymous id ('f_' + 12 hex digits of HMAC-SHA256 with the records key): what
-- the warehouse's counts name a file by, since file names can hold people's names.
CREATE OR REPLACE TEMP MACRO rec_file_id(f) AS
    'f_' || left(sha256((SELECT opad FROM rec_key) || unhex(sha256((SELECT ipad FROM rec_key)
        || encode('records file: ' || f)))), 12)
