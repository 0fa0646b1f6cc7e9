-- One file of the co-production records as raw/records fingerprinted it (a few rows: no DataFrame).
INSERT INTO landing.records_files (path, kind, bytes, sha256)
VALUES ($path, $kind, $bytes, $sha256)
