package dev.quarry.athena;

import dev.quarry.summary.CannedQuery;
import dev.quarry.summary.QueryEngine.QueryFailedException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.Row;

/**
 * Athena's result rows (every value a {@code VarCharValue} string, typed only by {@code ColumnInfo.Type}) as the
 * query port's rows: the same Java types the DuckDB adapter returns for the same query, so both give the same JSON.
 * Pure, no I/O.
 */
final class AthenaToRows {
    private AthenaToRows() {
    }

    /**
     * @param columns {@code ResultSetMetadata.ColumnInfo} of the result
     * @param rows the data rows, the header row (the column names, first on the first page) already left out
     */
    static List<List<Object>> rows(CannedQuery query, List<ColumnInfo> columns, List<Row> rows)
            throws QueryFailedException {
        List<CannedQuery.Column> expected = query.columns();
        if (columns.size() != expected.size()) {
            throw new QueryFailedException("Cannot read the result of " + query.queryName() + ", because Athena returned "
                    + columns.size() + " columns for " + expected.size(), null);
        }
        List<List<Object>> typed = new ArrayList<>(rows.size());
        for (Row row : rows) {
            List<Datum> data = row.data();
            if (data.size() != expected.size()) {
                throw new QueryFailedException("Cannot read a row of " + query.queryName() + ", because it has "
                        + data.size() + " values for " + expected.size() + " columns", null);
            }
            List<Object> values = new ArrayList<>(data.size());
            for (int i = 0; i < data.size(); i++) {
                values.add(value(expected.get(i), columns.get(i).type(), data.get(i).varCharValue()));
            }
            typed.add(values);
        }
        return typed;
    }

    /**
     * One value: a {@link String} for {@code VARCHAR} (Athena's {@code varchar}, {@code char}, or {@code date}, whose
     * text is already {@code YYYY-MM-DD} like the {@code dt} string DuckDB returns), a {@link Long} for {@code BIGINT},
     * an {@link Instant} for {@code HOUR} (Athena writes a {@code timestamp} as {@code 2026-11-26 10:00:00.000}, read
     * as UTC, the zone of the stored timestamps). A value without {@code VarCharValue} is SQL NULL.
     */
    static Object value(CannedQuery.Column column, String athenaType, String text) throws QueryFailedException {
        if (text == null) {
            return null;
        }
        String type = baseType(athenaType);
        try {
            switch (column.type()) {
                case VARCHAR:
                    if (type.equals("varchar") || type.equals("char") || type.equals("date")) {
                        return text;
                    }
                    break;
                case BIGINT:
                    if (type.equals("bigint") || type.equals("integer") || type.equals("smallint")
                            || type.equals("tinyint")) {
                        return Long.parseLong(text);
                    }
                    break;
                case HOUR:
                    if (type.equals("timestamp")) {
                        return timestamp(text, ZoneOffset.UTC);
                    }
                    if (type.equals("timestamp with time zone")) {
                        int zone = text.indexOf(' ', text.indexOf(' ') + 1);
                        if (zone < 0) {
                            throw new DateTimeException("no time zone");
                        }
                        return timestamp(text.substring(0, zone), ZoneId.of(text.substring(zone + 1)));
                    }
                    break;
                default:
                    break;
            }
        } catch (NumberFormatException | DateTimeException e) {
            throw new QueryFailedException("Cannot read column " + column.name() + ", because Athena's " + type
                    + " value '" + text + "' is not one: " + e.getMessage(), e);
        }
        throw new QueryFailedException("Column " + column.name() + " came back as " + athenaType + ", which cannot be a "
                + column.type(), null);
    }

    /** {@code varchar(2147483647)} or {@code VARCHAR} as {@code varchar}. */
    private static String baseType(String athenaType) {
        if (athenaType == null) {
            return "";
        }
        String type = athenaType.strip().toLowerCase(Locale.ROOT);
        int precision = type.indexOf('(');
        if (precision >= 0) {
            int close = type.indexOf(')', precision);
            type = (type.substring(0, precision) + (close < 0 ? "" : type.substring(close + 1))).strip();
        }
        return type;
    }

    private static Instant timestamp(String text, ZoneId zone) {
        // "2026-11-26 10:00:00.000": ISO but for the space; fraction digits vary with the precision (0 to 12).
        String iso = text.strip().replace(' ', 'T');
        int dot = iso.indexOf('.');
        if (dot >= 0 && iso.length() - dot - 1 > 9) {
            iso = iso.substring(0, dot + 10);
        }
        return LocalDateTime.parse(iso).atZone(zone).toInstant();
    }
}
