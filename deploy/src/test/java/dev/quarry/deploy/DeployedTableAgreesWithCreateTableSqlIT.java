package dev.quarry.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.catalog.StorageSchema;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.quarry.deploy.Template.text;
import static org.assertj.core.api.Assertions.assertThat;

/** sql/create-table.sql, for creating the table by hand, is the table serverless.yml creates: the core's StorageSchema. */
class DeployedTableAgreesWithCreateTableSqlIT {

    private static final Pattern COLUMNS = Pattern.compile(
            "CREATE EXTERNAL TABLE IF NOT EXISTS \\w+ \\((.*?)\\)\\s*PARTITIONED BY \\((.*?)\\)", Pattern.DOTALL);
    private static final Pattern PROPERTY = Pattern.compile("'([^']+)'\\s*=\\s*'([^']*)'");

    private final String sql = read();
    private final JsonNode table = TestingServerless.devTemplate().at("/Resources/GlueTable/Properties/TableInput");

    private static String read() {
        try {
            return Files.readString(TestingServerless.root().resolve("sql/create-table.sql"))
                    .replaceAll("(?m)^--.*$", "");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void columns_and_partition_keys_are_the_same_with_timestamp_quoted() {
        Matcher matcher = COLUMNS.matcher(sql);
        assertThat(matcher.find()).as(sql).isTrue();
        assertThat(columns(matcher.group(1))).containsExactlyElementsOf(
                ServerlessTemplateIT.columns(table.at("/StorageDescriptor/Columns")));
        assertThat(columns(matcher.group(2))).containsExactlyElementsOf(
                ServerlessTemplateIT.columns(table.path("PartitionKeys")));
        assertThat(matcher.group(1)).contains("`timestamp` timestamp");
    }

    @Test
    void glue_columns_and_partition_keys_are_the_core_storage_schema() {
        assertThat(ServerlessTemplateIT.columns(table.at("/StorageDescriptor/Columns"))).containsExactlyElementsOf(
                StorageSchema.COLUMNS.stream().map(StorageSchema.Column::hive).toList());
        assertThat(ServerlessTemplateIT.columns(table.path("PartitionKeys")))
                .containsExactly(StorageSchema.PARTITION_KEY.hive());
    }

    private static List<String> columns(String definitions) {
        List<String> columns = new ArrayList<>();
        // Split on commas outside <...> (map<string,string>).
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : definitions.toCharArray()) {
            if (c == '<') depth++;
            if (c == '>') depth--;
            if (c == ',' && depth == 0) {
                columns.add(normalise(current.toString()));
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        columns.add(normalise(current.toString()));
        return columns;
    }

    private static String normalise(String column) {
        return column.strip().replace("`", "").replaceAll("\\s+", " ");
    }

    @Test
    void it_is_parquet_with_the_same_location() {
        assertThat(sql).contains("STORED AS PARQUET");
        assertThat(text(table.at("/StorageDescriptor/Location")).replace("{LogsBucket}", "<bucket>"))
                .isEqualTo(location());
        assertThat(table.at("/StorageDescriptor/SerdeInfo/SerializationLibrary").asText()).contains("parquet");
    }

    private String location() {
        Matcher matcher = Pattern.compile("LOCATION '([^']+)'").matcher(sql);
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    @Test
    void table_properties_are_the_same_including_the_location_template() {
        Map<String, String> sqlProperties = new LinkedHashMap<>();
        Matcher matcher = PROPERTY.matcher(sql.substring(sql.indexOf("TBLPROPERTIES")));
        while (matcher.find()) {
            sqlProperties.put(matcher.group(1), matcher.group(2));
        }
        Map<String, String> glue = new LinkedHashMap<>();
        table.path("Parameters").fields().forEachRemaining(e -> {
            if (!e.getKey().equals("EXTERNAL")) {
                glue.put(e.getKey(), text(e.getValue()).replace("{LogsBucket}", "<bucket>"));
            }
        });
        assertThat(sqlProperties).containsExactlyInAnyOrderEntriesOf(glue);
        assertThat(sqlProperties.get("storage.location.template")).isEqualTo("s3://<bucket>/logs/dt=${dt}/");
    }
}
