INSERT INTO landing.indicator_values BY NAME SELECT * FROM incoming_frame
