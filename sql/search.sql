-- search: stored records newest first, for reading and debugging (GET /search).
-- Runs unchanged on Athena (engine v3) and DuckDB; {{logs}} is the engine's table reference.
-- dt prunes the partitions read; the timestamp bounds keep only records of the range (a record filed outside its
-- own day by the recency window is found by no range, as in errors-by-hour).
-- Order: timestamp descending, then every stored column the row shows, so the order is total up to identical rows.
-- Paging is a keyset on the timestamp and an offset among the rows of that one timestamp: the next page starts at
-- or before the previous page's last timestamp (before) and skips the rows of that timestamp already returned
-- ({{offset}}). Identical rows are interchangeable, so each comes back exactly once; and the cursor stays a few
-- bytes (a keyset over message and attributes would put up to 32 KiB of message into a URL).
-- Attributes come back as a JSON object: Athena renders a map as {k=v, ...}, which a value may itself contain;
-- ORDER BY names logs.attributes, the map: a bare name there is the output column (the JSON) on Trino.
-- try(attributes[?]): a missing key is NULL on both engines (Trino's subscript alone fails on a missing key).
-- {{offset}} and {{limit}} are validated integers written in as literals: Athena takes ? only for values in WHERE.
-- q's prefilter (the line before q's): strpos(message, ?) > 0 case-sensitively for q's longest run of at least 3 ASCII
-- characters that are not letters (a run of digits, spaces, punctuation), '' when q has none. No character but
-- itself lower-cases to such a character, so every message the lower() test matches holds the run as it is; the
-- prefilter only spares lower() the messages that cannot match (about a third less time for a rare term in DuckDB,
-- docs/performance.md). DuckDB tests the conditions in the order written: the prefilter must come first.
-- Parameters, in order: first day, last day, from, to, before, source, source, logtype, logtype, q's run, q's run,
-- q, q, then five times key, key, value ('' for "no filter").
SELECT "timestamp", dt, source, logtype, message, CAST(attributes AS JSON) AS attributes
FROM {{logs}} AS logs
WHERE dt BETWEEN ? AND ?
  AND "timestamp" >= CAST(? AS timestamp)
  AND "timestamp" < CAST(? AS timestamp)
  AND "timestamp" <= CAST(? AS timestamp)
  AND (? = '' OR source = ?)
  AND (? = '' OR logtype = ?)
  AND (? = '' OR strpos(message, ?) > 0)
  AND (? = '' OR strpos(lower(message), lower(?)) > 0)
  AND (? = '' OR try(attributes[?]) = ?)
  AND (? = '' OR try(attributes[?]) = ?)
  AND (? = '' OR try(attributes[?]) = ?)
  AND (? = '' OR try(attributes[?]) = ?)
  AND (? = '' OR try(attributes[?]) = ?)
ORDER BY "timestamp" DESC, dt, source, logtype, message, array_sort(map_entries(logs.attributes))
OFFSET {{offset}}
LIMIT {{limit}}
