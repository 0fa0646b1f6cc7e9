-- Rows for England, regions and other aggregates, exactly as the publisher printed them.
CREATE TABLE IF NOT EXISTS landing.aggregate_values (
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
