package dev.quarry.deploy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recency rule of the record contract, as Firehose's dynamic partitioning evaluates it: the
 * MetadataExtractionQuery of the packaged template, run by jq 1.6 (Firehose's engine). Without jq 1.6 the test
 * fails and says how to install it (it never skips: a skipped check looks like a passed one).
 * received_at below is 2025-11-26T10:15:30Z = 1764152130000 ms.
 */
class PartitionQueryIT {

    private static final long RECEIVED_AT = 1_764_152_130_000L;

    @ParameterizedTest(name = "timestamp {0} → dt={1}")
    @CsvSource(delimiter = '|', value = {
            "1764100000000                 | 2025-11-25", // epoch ms, the day before, within 14 days
            "\"1764100000000\"             | 2025-11-25", // the same as a string of digits
            "\"2025-11-20T23:59:59.123Z\"  | 2025-11-20", // ISO with milliseconds, 5 days back
            "\"2025-11-12T10:15:30Z\"      | 2025-11-12", // exactly 14 days back: still its own day
            "\"2025-11-12T10:15:29Z\"      | 2025-11-26", // one second older: the day it was received
            "\"2020-01-01T00:00:00Z\"      | 2025-11-26", // years old: the day it was received
            "1764159330000                 | 2025-11-26", // exactly 2 hours ahead
            "1764159330001                 | 2025-11-26", // later than 2 hours ahead: the day received
            "null                          | 2025-11-26", // absent: the day received
    })
    void theDayFollowsTheRecencyWindow(String timestamp, String day) {
        String query = TestingFirehose.partitionQuery(TestingServerless.devTemplate());
        String record = "{\"source\":\"s\",\"logtype\":\"info\",\"message\":\"m\",\"received_at\":" + RECEIVED_AT
                + ("null".equals(timestamp) ? "" : ",\"timestamp\":" + timestamp) + "}";

        assertThat(TestingFirehose.jq(query, List.of(record))).containsExactly("{\"dt\":\"" + day + "\"}");
    }
}
