package dev.quarry.athena;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.search.SearchRow;
import dev.quarry.summary.CannedQuery;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Athena's replies: the sample JSON under {@code src/test/resources/athena/}, and result sets built from rows. */
public final class TestingAthenaReplies {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How Athena writes a {@code timestamp(3)} value. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private TestingAthenaReplies() {
    }

    /** {@code athena/<name>.json}, with {@code ${id}} replaced by the query execution id. */
    public static String sample(String name, String queryExecutionId) {
        String resource = "athena/" + name + ".json";
        try (InputStream in = TestingAthenaReplies.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Cannot find " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${id}", queryExecutionId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The one page of {@code GetQueryResults} Athena would answer for these typed rows: column names first, every
     * value a {@code VarCharValue} string (a {@code timestamp} as {@code 2026-11-26 10:00:00.000}), NULL as {}.
     */
    public static String resultSet(CannedQuery query, List<List<Object>> rows) {
        ObjectNode reply = JSON.createObjectNode();
        reply.put("UpdateCount", 0);
        ObjectNode resultSet = reply.putObject("ResultSet");
        ArrayNode jsonRows = resultSet.putArray("Rows");
        ArrayNode header = jsonRows.addObject().putArray("Data");
        query.columns().forEach(column -> header.addObject().put("VarCharValue", column.name()));
        for (List<Object> row : rows) {
            ArrayNode data = jsonRows.addObject().putArray("Data");
            for (Object value : row) {
                ObjectNode datum = data.addObject();
                if (value instanceof Instant instant) {
                    datum.put("VarCharValue", TIMESTAMP.format(instant));
                } else if (value != null) {
                    datum.put("VarCharValue", value.toString());
                }
            }
        }
        ArrayNode columns = resultSet.putObject("ResultSetMetadata").putArray("ColumnInfo");
        for (CannedQuery.Column column : query.columns()) {
            ObjectNode info = columns.addObject();
            info.put("CatalogName", "hive").put("SchemaName", "").put("TableName", "").put("Name", column.name())
                    .put("Label", column.name());
            switch (column.type()) {
                case VARCHAR -> info.put("Type", "varchar").put("Precision", 2147483647);
                case BIGINT -> info.put("Type", "bigint").put("Precision", 19);
                case HOUR -> info.put("Type", "timestamp").put("Precision", 3);
                default -> throw new IllegalStateException(column.type().toString());
            }
            info.put("Scale", 0).put("Nullable", "UNKNOWN").put("CaseSensitive", column.type() != CannedQuery.ColumnType.BIGINT);
        }
        return reply.toString();
    }

    /** The one page of GetQueryResults Athena answers for search.sql: all text, attributes as JSON text. */
    public static String searchResultSet(List<SearchRow> rows) {
        ObjectNode reply = JSON.createObjectNode();
        reply.put("UpdateCount", 0);
        ObjectNode resultSet = reply.putObject("ResultSet");
        ArrayNode jsonRows = resultSet.putArray("Rows");
        List<String> names = List.of("timestamp", "dt", "source", "logtype", "message", "attributes");
        List<String> types = List.of("timestamp", "varchar", "varchar", "varchar", "varchar", "json");
        ArrayNode header = jsonRows.addObject().putArray("Data");
        names.forEach(name -> header.addObject().put("VarCharValue", name));
        for (SearchRow row : rows) {
            ArrayNode data = jsonRows.addObject().putArray("Data");
            data.addObject().put("VarCharValue", TIMESTAMP.format(row.timestamp()));
            data.addObject().put("VarCharValue", row.dt());
            data.addObject().put("VarCharValue", row.source());
            data.addObject().put("VarCharValue", row.logtype());
            data.addObject().put("VarCharValue", row.message());
            data.addObject().put("VarCharValue", JSON.valueToTree(row.attributes()).toString());
        }
        ArrayNode columns = resultSet.putObject("ResultSetMetadata").putArray("ColumnInfo");
        for (int i = 0; i < names.size(); i++) {
            columns.addObject().put("CatalogName", "hive").put("SchemaName", "").put("TableName", "")
                    .put("Name", names.get(i)).put("Label", names.get(i)).put("Type", types.get(i))
                    .put("Precision", i == 0 ? 3 : 2147483647).put("Scale", 0).put("Nullable", "UNKNOWN")
                    .put("CaseSensitive", true);
        }
        return reply.toString();
    }
}
