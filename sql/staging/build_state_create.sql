-- Fingerprints of what each derived step was last built from, so unchanged inputs skip the work.
CREATE TABLE IF NOT EXISTS landing.build_state (
    step VARCHAR PRIMARY KEY,
    fingerprint VARCHAR NOT NULL,
    built_at VARCHAR NOT NULL
)
