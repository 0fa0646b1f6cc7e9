INSERT INTO landing.unavailable_indicators BY NAME SELECT * FROM incoming_frame
