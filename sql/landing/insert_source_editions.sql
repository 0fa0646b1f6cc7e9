INSERT INTO landing.source_editions BY NAME SELECT * FROM incoming_frame
