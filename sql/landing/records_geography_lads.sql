-- Local authority district codes known to the geography source, to validate records against.
SELECT DISTINCT area_code FROM landing.geography__areas WHERE area_type = 'lad'
