-- Provenance of the edition choice: per source, edition group and release, which periods it
-- supplies and which it lost to a newer edition (sources/editions.py). Replaced per source on parse.
CREATE TABLE IF NOT EXISTS landing.source_editions (
    source_id VARCHAR NOT NULL,
    edition_group VARCHAR,            -- indicators published in one table (default: the indicator);
                                      -- NULL for an edition read but wholly restated by a newer one
    release VARCHAR,                  -- the edition label carried by its rows
    release_date DATE,                -- its publication date, NULL when neither file nor publisher says
    edition_rank INTEGER,             -- order within the source: higher is newer
    used BOOLEAN,                     -- supplies at least one period
    periods_used VARCHAR,
    periods_superseded VARCHAR,       -- periods a newer edition supplies instead
    rows_used BIGINT,
    rows_superseded BIGINT
)
