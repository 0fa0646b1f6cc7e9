-- The date each accepted layout reads from a text, in order of preference (NULL where a layout does
-- not fit): 2024-04-01, 01/04/2024, 01-04-2024, 01/04/24, 2024/04/01, 1 Apr 2024, 1 April 2024.
-- Each layout's pattern is that of Python's strptime, which read these cells before; two-digit
-- years 69-99 are 19xx and 00-68 are 20xx, as there.
CREATE OR REPLACE TEMP MACRO rec_dates(x) AS [
    CASE WHEN regexp_full_match(x, '[0-9]{4}-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12][0-9]|0[1-9]|[1-9]| [1-9])')
         THEN CAST(try_strptime(x, '%Y-%m-%d') AS DATE) END,
    CASE WHEN regexp_full_match(x, '(3[01]|[12][0-9]|0[1-9]|[1-9]| [1-9])/(1[0-2]|0[1-9]|[1-9])/[0-9]{4}')
         THEN CAST(try_strptime(x, '%d/%m/%Y') AS DATE) END,
    CASE WHEN regexp_full_match(x, '(3[01]|[12][0-9]|0[1-9]|[1-9]| [1-9])-(1[0-2]|0[1-9]|[1-9])-[0-9]{4}')
         THEN CAST(try_strptime(x, '%d-%m-%Y') AS DATE) END,
    CASE WHEN regexp_full_match(x, '(3[01]|[12][0-9]|0[1-9]|[1-9]| [1-9])/(1[0-2]|0[1-9]|[1-9])/[0-9]{2}')
         THEN CAST(try_strptime(left(x, -2) || CASE WHEN CAST(right(x, 2) AS INTEGER) < 69 THEN '20' ELSE '19' END
                                || right(x, 2), '%d/%m/%Y') AS DATE) END,
    CASE WHEN regexp_full_match(x, '[0-9]{4}/(1[0-2]|0[1-9]|[1-9])/(3[01]|[12][0-9]|0[1-9]|[1-9]| [1-9])')
         THEN CAST(try_strptime(x, '%Y/%m/%d') AS DATE) END,
    CASE WHEN regexp_full_match(x, '(?i)(3[01]|[12][0-9]|0[1-9]|[1-9]| [1-9])\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+[0-9]{4}')
         THEN CAST(try_strptime(regexp_replace(x, '\s+', ' ', 'g'), '%d %b %Y') AS DATE) END,
    CASE WHEN regexp_full_match(x, '(?i)(3[01]|[12][0-9]|0[1-9]|[1-9]| [1-9])\s+(january|february|march|april|may|june|july|august|september|october|november|december)\s+[0-9]{4}')
         THEN CAST(try_strptime(regexp_replace(x, '\s+', ' ', 'g'), '%d %B %Y') AS DATE) END
]
