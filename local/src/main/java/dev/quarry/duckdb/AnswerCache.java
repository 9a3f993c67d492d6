package dev.quarry.duckdb;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of the most recently used summary statements, by their full text ({@link DuckDbQueryEngine#run}), least
 * recently used out first. Bounded by entries and by weight, the characters of the statements and of the answers'
 * text ({@value #MAX_WEIGHT} in all): a summary of long messages takes its share, and one answer heavier than a
 * quarter of the bound is not kept.
 */
final class AnswerCache {
    static final long MAX_WEIGHT = 16L * 1024 * 1024;
    private final int entries;
    private final Map<String, List<List<Object>>> answers = new LinkedHashMap<>(16, 0.75f, true);
    private long weight;
    private long hits;

    AnswerCache(int entries) {
        this.entries = entries;
    }

    synchronized List<List<Object>> get(String statement) {
        List<List<Object>> rows = answers.get(statement);
        if (rows != null) {
            hits++;
        }
        return rows;
    }

    synchronized void put(String statement, List<List<Object>> rows) {
        long added = weight(statement, rows);
        if (entries <= 0 || added > MAX_WEIGHT / 4) {
            return;
        }
        List<List<Object>> replaced = answers.put(statement, rows);
        weight += added - (replaced == null ? 0 : weight(statement, replaced));
        Iterator<Map.Entry<String, List<List<Object>>>> eldest = answers.entrySet().iterator();
        while ((answers.size() > entries || weight > MAX_WEIGHT) && eldest.hasNext()) {
            Map.Entry<String, List<List<Object>>> entry = eldest.next();
            weight -= weight(entry.getKey(), entry.getValue());
            eldest.remove();
        }
    }

    synchronized long hits() {
        return hits;
    }

    synchronized long weight() {
        return weight;
    }

    private static long weight(String statement, List<List<Object>> rows) {
        long characters = statement.length();
        for (List<Object> row : rows) {
            for (Object value : row) {
                characters += value == null ? 1 : value instanceof String text ? text.length() : 8;
            }
        }
        return characters;
    }
}
