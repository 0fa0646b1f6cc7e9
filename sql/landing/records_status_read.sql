-- The records load's status row (example data or not, files, problems).
SELECT * FROM landing.records_status
