package dev.quarry.athena;

/**
 * What one Athena query cost: the bytes it scanned (billed at $5 per TB, at least 10 MB per query, unless its result
 * was reused) and the time the engine spent on it. Values Athena did not report are -1.
 *
 * @param state {@code SUCCEEDED}, {@code FAILED}, {@code CANCELLED}, or the state in which the deadline stopped it
 */
public record QueryStats(String queryExecutionId, String query, String state, long dataScannedInBytes,
        long engineExecutionTimeInMillis, long totalExecutionTimeInMillis, boolean reusedPreviousResult, int rows) {

    /** One structured log line: {@code athena-query id=... query=... state=... scanned-bytes=...}. */
    public String logLine() {
        return "athena-query id=" + queryExecutionId + " query=" + query + " state=" + state + " scanned-bytes="
                + dataScannedInBytes + " engine-ms=" + engineExecutionTimeInMillis + " total-ms="
                + totalExecutionTimeInMillis + " reused=" + reusedPreviousResult + " rows=" + rows;
    }
}
