-- An area's ten statistical nearest neighbours (pillar A indicators) and their pillar A scores.
SELECT n.neighbour_rank, a.area_name AS neighbour, round(n.distance, 3) AS distance, s.score
FROM marts.statistical_neighbours AS n
JOIN marts.areas AS a ON a.area_code = n.neighbour_code
LEFT JOIN marts.igplus_scores AS s ON s.area_code = n.neighbour_code AND s.level = 'pillar'
    AND s.component = 'A' AND s.year = 2023
WHERE n.area_code = 'E06000018'
ORDER BY n.neighbour_rank
