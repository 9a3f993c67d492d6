-- top-messages: the most frequent messages of one logtype (by default 'error').
-- Runs unchanged on Athena (engine v3) and DuckDB; {{logs}} is the engine's table reference.
-- {{limit}} is a validated integer written in as a literal: Athena takes ? only for values in WHERE.
-- Parameters, in order: from, to, logtype, source, source ('' for "no filter").
SELECT message, count(*) AS events
FROM {{logs}}
WHERE dt BETWEEN ? AND ?
  AND logtype = ?
  AND (? = '' OR source = ?)
GROUP BY message
ORDER BY events DESC, message
LIMIT {{limit}}
