-- events-by-logtype: events per day and logtype.
-- Runs unchanged on Athena (engine v3) and DuckDB; {{logs}} is the engine's table reference.
-- Parameters, in order: from, to, source, source, logtype, logtype ('' for "no filter").
SELECT dt, logtype, count(*) AS events
FROM {{logs}}
WHERE dt BETWEEN ? AND ?
  AND (? = '' OR source = ?)
  AND (? = '' OR logtype = ?)
GROUP BY dt, logtype
ORDER BY dt, logtype
