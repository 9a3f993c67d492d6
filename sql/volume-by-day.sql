-- volume-by-day: events per day.
-- Runs unchanged on Athena (engine v3) and DuckDB; {{logs}} is the engine's table reference.
-- Parameters, in order: from, to, source, source, logtype, logtype ('' for "no filter").
SELECT dt, count(*) AS events
FROM {{logs}}
WHERE dt BETWEEN ? AND ?
  AND (? = '' OR source = ?)
  AND (? = '' OR logtype = ?)
GROUP BY dt
ORDER BY dt
