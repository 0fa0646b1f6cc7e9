INSERT INTO landing.raw_files BY NAME SELECT * FROM incoming_frame
