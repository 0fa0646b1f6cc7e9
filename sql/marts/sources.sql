-- Data freshness per source: the latest attempt, the last success, why a source is stale, the
-- release loaded and how current it is against what the publisher lists (mirror: not checked).
WITH
catalogue AS (
    SELECT source_id, title, publisher, licence FROM landing.source_catalogue
),
status AS (
    SELECT * FROM landing.source_status
),
files AS (
    SELECT source_id, max(retrieved_at) AS retrieved_at, count(*) AS raw_files,
           list(DISTINCT release) FILTER (WHERE release IS NOT NULL) AS file_releases
    FROM landing.raw_files GROUP BY source_id
),
newest_per_group AS (
    SELECT source_id, edition_group, arg_max(release, edition_rank) AS release,
           arg_max(release_date, edition_rank) AS release_date
    FROM landing.source_editions WHERE used GROUP BY source_id, edition_group
),
loaded AS (
    SELECT source_id, string_agg(DISTINCT release, '; ' ORDER BY release) AS release_title,
           max(release_date) AS release_date
    FROM newest_per_group GROUP BY source_id
),
listing AS (
    SELECT p.source_id, max(p.checked_at) AS checked_at,
           arg_max(p.release_title, p.listed_rank) FILTER (WHERE p.state = 'published') AS newest_title,
           arg_max(p.release_date, p.listed_rank) FILTER (WHERE p.state = 'published') AS newest_date,
           min(p.release_date) FILTER (WHERE p.state = 'announced') AS next_release_date,
           max(p.listed_rank) FILTER (WHERE p.state = 'published'
                                      AND list_contains(f.file_releases, p.release_title)) AS loaded_rank,
           arg_max(p.release_date, p.listed_rank) FILTER (
               WHERE list_contains(f.file_releases, p.release_title)) AS loaded_date,
           string_agg(p.release_title, '; ' ORDER BY p.listed_rank DESC) FILTER (WHERE p.state = 'withdrawn')
               AS withdrawn_titles,
           coalesce(bool_or(p.state = 'withdrawn' AND list_contains(f.file_releases, p.release_title)), false)
               AS loaded_withdrawn
    FROM landing.publisher_releases AS p
    LEFT JOIN files AS f USING (source_id)
    GROUP BY p.source_id
),
currency AS (
    SELECT l.source_id, l.checked_at, l.newest_title, l.newest_date, l.next_release_date, l.withdrawn_titles,
           l.loaded_withdrawn,
           coalesce(d.release_date, l.loaded_date) AS loaded_date,
           count(p.release_title) FILTER (
               WHERE p.state = 'published'
                 AND (p.listed_rank > l.loaded_rank
                      OR (l.loaded_rank IS NULL AND p.release_date > coalesce(d.release_date, l.loaded_date)))
           ) AS behind,
           l.loaded_rank IS NOT NULL OR coalesce(d.release_date, l.loaded_date) IS NOT NULL AS comparable
    FROM listing AS l
    LEFT JOIN loaded AS d USING (source_id)
    LEFT JOIN landing.publisher_releases AS p USING (source_id)
    GROUP BY ALL
)
SELECT c.source_id, c.title, c.publisher, c.licence, s.releases, f.retrieved_at, s.mode,
       coalesce(s.status, 'never_run') AS status,
       CASE WHEN s.status = 'ok' THEN NULL ELSE s.reason END AS stale_reason,
       s.last_success_at, s.attempted_at, f.raw_files,
       coalesce(d.release_title, s.releases) AS release_title,
       coalesce(d.release_date, k.loaded_date) AS release_date,
       CASE WHEN coalesce(s.mode, '') <> 'live' OR k.checked_at IS NULL THEN 'not_checked'
            WHEN k.loaded_withdrawn THEN 'withdrawn'
            WHEN NOT k.comparable THEN 'not_checked'
            WHEN k.behind > 0 THEN 'behind'
            ELSE 'latest' END AS currency,
       CASE WHEN s.mode = 'live' AND k.comparable AND k.behind > 0 THEN CAST(k.behind AS INTEGER) END
           AS releases_behind,
       CASE WHEN s.mode = 'live' THEN k.newest_title END AS newest_release_title,
       CASE WHEN s.mode = 'live' THEN k.newest_date END AS newest_release_date,
       CASE WHEN s.mode = 'live' THEN k.next_release_date END AS next_release_date,
       CASE WHEN s.mode = 'live' THEN k.checked_at END AS currency_checked_at,
       CASE WHEN s.mode = 'live' THEN k.withdrawn_titles END AS withdrawn_releases
FROM catalogue AS c
LEFT JOIN status AS s USING (source_id)
LEFT JOIN files AS f USING (source_id)
LEFT JOIN loaded AS d USING (source_id)
LEFT JOIN currency AS k USING (source_id)
ORDER BY c.source_id
