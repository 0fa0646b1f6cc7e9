INSERT INTO landing.publisher_releases BY NAME SELECT * FROM incoming_frame
