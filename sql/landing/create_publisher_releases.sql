-- What the publisher listed at the last live check of a source: its releases (newest has the
-- highest listed_rank), withdrawn ones, and the next announced release. Replaced per source on
-- every live acquisition; a mirror refresh leaves it empty for that source (not checked).
CREATE TABLE IF NOT EXISTS landing.publisher_releases (
    source_id VARCHAR NOT NULL,
    release_title VARCHAR NOT NULL,
    release_date DATE,
    listed_rank INTEGER,              -- order among the listed releases: higher is newer
    state VARCHAR NOT NULL,           -- published | withdrawn | announced | superseded
    url VARCHAR,
    checked_at TIMESTAMP NOT NULL
)
