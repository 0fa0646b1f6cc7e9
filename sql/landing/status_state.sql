-- Each source's refresh outcome and its last check against the publisher, for the steps that
-- publish freshness and currency (a live check is new information even when no release changed).
SELECT s.source_id, s.status, coalesce(s.reason, '') AS reason,
       coalesce((SELECT string_agg(p.release_title || '|' || p.state || '|' || p.checked_at, ','
                                   ORDER BY p.listed_rank)
                 FROM landing.publisher_releases AS p WHERE p.source_id = s.source_id), '') AS listing,
       coalesce((SELECT string_agg(e.release || '|' || e.used, ',' ORDER BY e.edition_group, e.release)
                 FROM landing.source_editions AS e WHERE e.source_id = s.source_id), '') AS editions
FROM landing.source_status AS s
ORDER BY s.source_id
