-- errors-by-hour: events of logtype 'error' per UTC hour.
-- Runs unchanged on Athena (engine v3) and DuckDB; {{logs}} is the engine's table reference.
-- The hour is returned as a timestamp and formatted by the caller: the engines share no formatting function.
-- Parameters, in order: from, to, source, source ('' for "no filter").
SELECT date_trunc('hour', "timestamp") AS hour, count(*) AS events
FROM {{logs}}
WHERE dt BETWEEN ? AND ?
  AND logtype = 'error'
  AND (? = '' OR source = ?)
GROUP BY date_trunc('hour', "timestamp")
ORDER BY hour
