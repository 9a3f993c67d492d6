package dev.quarry.athena;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the Lambda artifact inherits from this module: the URL-connection client, and no framework or DuckDB. */
class AthenaClasspathTest {
    @Test
    void the_url_connection_client_is_the_only_http_client() throws Exception {
        Class.forName("software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient");
        assertAbsent("software.amazon.awssdk.http.apache5.Apache5HttpClient",
                "software.amazon.awssdk.http.apache.ApacheHttpClient",
                "software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient",
                "software.amazon.awssdk.http.crt.AwsCrtHttpClient");
    }

    @Test
    void neither_quarkus_nor_vertx_nor_duck_db_come_along() {
        assertAbsent("io.quarkus.runtime.Quarkus", "io.vertx.core.Vertx", "org.duckdb.DuckDBConnection");
    }

    private static void assertAbsent(String... classNames) {
        for (String name : List.of(classNames)) {
            assertThatThrownBy(() -> Class.forName(name)).as(name).isInstanceOf(ClassNotFoundException.class);
        }
    }
}
