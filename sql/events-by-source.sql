-- events-by-source: events per source, and how many of them have logtype 'error'.
-- Runs unchanged on Athena (engine v3) and DuckDB; {{logs}} is the engine's table reference.
-- count(CASE ...) rather than sum(...): a sum of integers is a HUGEINT in DuckDB but a bigint in Trino.
-- Parameters, in order: from, to, source, source, logtype, logtype ('' for "no filter").
SELECT source, count(*) AS events, count(CASE WHEN logtype = 'error' THEN 1 END) AS errors
FROM {{logs}}
WHERE dt BETWEEN ? AND ?
  AND (? = '' OR source = ?)
  AND (? = '' OR logtype = ?)
GROUP BY source
ORDER BY events DESC, source
