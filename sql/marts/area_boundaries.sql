-- Simplified LAD boundaries (GeoJSON geometry, WGS84) for maps.
CREATE OR REPLACE TABLE marts.area_boundaries AS
SELECT area_code, area_name, CAST(vintage AS VARCHAR) AS vintage, geojson
FROM landing.geography__boundaries
ORDER BY area_code
