package dev.quarry.duckdb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of the most recently used summary statements, by their full text ({@link DuckDbQueryEngine#run}). Bounded
 * by entries and by rows per answer: an answer of more than {@value #MAX_ROWS} rows is not kept.
 */
final class AnswerCache {
    static final int MAX_ROWS = 2_000;
    private final int entries;
    private final Map<String, List<List<Object>>> answers;
    private long hits;

    AnswerCache(int entries) {
        this.entries = entries;
        this.answers = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<List<Object>>> eldest) {
                return size() > AnswerCache.this.entries;
            }
        };
    }

    synchronized List<List<Object>> get(String statement) {
        List<List<Object>> rows = answers.get(statement);
        if (rows != null) {
            hits++;
        }
        return rows;
    }

    synchronized void put(String statement, List<List<Object>> rows) {
        if (entries > 0 && rows.size() <= MAX_ROWS) {
            answers.put(statement, rows);
        }
    }

    synchronized long hits() {
        return hits;
    }
}
