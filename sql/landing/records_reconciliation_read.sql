-- Per records sheet: rows read, loaded and quarantined, with what the reconciliation must equal.
SELECT file, sheet, table_name, status, read, loaded, quarantined, loaded + quarantined AS accounted
FROM landing.records_reconciliation
