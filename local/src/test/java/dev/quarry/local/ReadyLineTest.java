package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadyLineTest {
    @Test
    void the_ready_line_gives_the_ingest_dashboard_and_metrics_addresses() {
        assertThat(LocalApp.readyLine("127.0.0.1", 8080)).isEqualTo("Ready: send logs to http://127.0.0.1:8080/logs"
                + " (OTLP: http://127.0.0.1:8080/v1/logs), dashboard http://127.0.0.1:8080/, metrics"
                + " http://127.0.0.1:8080/q/metrics");
    }

    @Test
    void an_ipv6_host_is_bracketed() {
        assertThat(LocalApp.readyLine("::1", 9000)).startsWith("Ready: send logs to http://[::1]:9000/logs");
    }
}
