SELECT fingerprint FROM landing.build_state WHERE step = $step
