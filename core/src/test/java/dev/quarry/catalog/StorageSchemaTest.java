package dev.quarry.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StorageSchemaTest {
    private static final Pattern TABLE = Pattern.compile(
            "CREATE EXTERNAL TABLE IF NOT EXISTS \\w+ \\((.*?)\\)\\s*PARTITIONED BY \\((.*?)\\)", Pattern.DOTALL);

    @Test
    void create_table_sql_declares_the_columns_and_the_partition_key_of_the_storage_schema() throws IOException {
        Matcher table = TABLE.matcher(createTableSql());
        assertThat(table.find()).isTrue();

        assertThat(definitions(table.group(1)))
                .containsExactlyElementsOf(StorageSchema.COLUMNS.stream().map(StorageSchema.Column::hive).toList());
        assertThat(definitions(table.group(2))).containsExactly(StorageSchema.PARTITION_KEY.hive());
        assertThat(table.group(1)).as("timestamp is reserved in Athena DDL").contains("`timestamp` timestamp");
    }

    @Test
    void the_partition_key_comes_after_the_columns_and_no_name_repeats() {
        List<String> names = StorageSchema.columnsWithPartitionKey().stream().map(StorageSchema.Column::name).toList();

        assertThat(names).doesNotHaveDuplicates().endsWith("dt").hasSize(StorageSchema.COLUMNS.size() + 1);
    }

    private static String createTableSql() throws IOException {
        try (InputStream in = StorageSchemaTest.class.getResourceAsStream("/quarry/sql/create-table.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
        }
    }

    /** Column definitions split on the commas outside {@code <…>} (as in {@code map<string,string>}). */
    static List<String> definitions(String text) {
        List<String> definitions = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : text.toCharArray()) {
            depth += c == '<' ? 1 : c == '>' ? -1 : 0;
            if (c == ',' && depth == 0) {
                definitions.add(normalise(current));
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        definitions.add(normalise(current));
        return definitions;
    }

    private static String normalise(CharSequence definition) {
        return definition.toString().strip().replace("`", "").replaceAll("\\s+", " ");
    }
}
