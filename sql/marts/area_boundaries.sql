-- Simplified LAD boundaries (GeoJSON geometry, WGS84) for maps.
SELECT area_code, area_name, CAST(vintage AS VARCHAR) AS vintage, geojson
FROM landing.geography__boundaries
ORDER BY area_code
