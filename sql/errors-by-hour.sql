-- errors-by-hour: events of logtype 'error' per UTC hour, only hours inside the range asked for.
-- Runs unchanged on Athena (engine v3) and DuckDB; {{logs}} is the engine's table reference.
-- The hour is returned as a timestamp and formatted by the caller: the engines share no formatting function.
-- dt prunes the partitions read; the timestamp filter drops records filed under a day of the range whose own
-- timestamp lies outside it (outside the recency window, so filed under the day they were received).
-- Parameters, in order: from, to, from, to, source, source ('' for "no filter").
SELECT date_trunc('hour', "timestamp") AS hour, count(*) AS events
FROM {{logs}}
WHERE dt BETWEEN ? AND ?
  AND "timestamp" >= CAST(? AS timestamp)
  AND "timestamp" < CAST(? AS timestamp) + INTERVAL '1' DAY
  AND logtype = 'error'
  AND (? = '' OR source = ?)
GROUP BY date_trunc('hour', "timestamp")
ORDER BY hour
