-- Indicators a source could not supply this refresh, and why (e.g. no Stat-Xplore key).
CREATE TABLE IF NOT EXISTS landing.unavailable_indicators (
    source_id VARCHAR NOT NULL,
    indicator_id VARCHAR NOT NULL,
    reason VARCHAR NOT NULL
)
