INSERT OR REPLACE INTO landing.build_state (step, fingerprint, built_at) VALUES ($step, $fingerprint, $built_at)
