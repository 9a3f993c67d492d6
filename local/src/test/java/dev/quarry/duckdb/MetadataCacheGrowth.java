package dev.quarry.duckdb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** Whether parquet_metadata_cache keeps the entries of files that were replaced (each read once, then deleted). */
@EnabledIfSystemProperty(named = "quarry.benchmark", matches = "true")
class MetadataCacheGrowth {
    @TempDir
    Path dir;

    @Test
    void grows() throws Exception {
        for (String cache : new String[] {"false", "true"}) {
            try (DuckDbQueryEngine engine = new DuckDbQueryEngine(dir.resolve("logs"), "1GB", 2, dir.resolve("spill"));
                    Connection c = engine.connect(); Statement s = c.createStatement()) {
                s.execute("SET parquet_metadata_cache = " + cache);
                for (int i = 0; i <= 6000; i++) {
                    Path file = dir.resolve("f" + i + ".parquet");
                    s.execute("COPY (SELECT range AS a, range::VARCHAR AS b, 'x' || range AS c, range % 7 AS d,"
                            + " range * 2 AS e FROM range(20000)) TO '" + file + "' (FORMAT parquet, ROW_GROUP_SIZE 2000)");
                    try (ResultSet r = s.executeQuery("SELECT count(*), sum(d) FROM read_parquet('" + file + "')")) {
                        r.next();
                    }
                    Files.delete(file);
                    if (i % 1500 == 0) {
                        String rss = Files.readAllLines(Path.of("/proc/self/status")).stream()
                                .filter(l -> l.startsWith("VmRSS")).findFirst().orElse("");
                        StringBuilder tags = new StringBuilder();
                        try (ResultSet r = s.executeQuery("SELECT tag, memory_usage_bytes FROM duckdb_memory()"
                                + " WHERE memory_usage_bytes > 0")) {
                            while (r.next()) {
                                tags.append(r.getString(1)).append('=').append(r.getLong(2) / 1024).append("K ");
                            }
                        }
                        System.out.println("cache=" + cache + " files=" + i + " " + rss + " " + tags);
                    }
                }
            }
        }
    }
}
