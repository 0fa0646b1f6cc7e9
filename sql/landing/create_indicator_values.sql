-- Parsed local-authority rows, as each source produced them (before harmonisation).
CREATE TABLE IF NOT EXISTS landing.indicator_values (
    indicator_id VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    period_start DATE,
    period_end DATE,
    value DOUBLE,
    unit VARCHAR,
    lower_ci DOUBLE,
    upper_ci DOUBLE,
    observation_status VARCHAR,
    source_id VARCHAR NOT NULL,
    release VARCHAR
)
