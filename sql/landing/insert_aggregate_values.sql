INSERT INTO landing.aggregate_values BY NAME SELECT * FROM incoming_frame
