package dev.quarry.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import dev.quarry.catalog.Partition;
import dev.quarry.testing.TestingCases;
import dev.quarry.testing.TestingCases.Case;
import dev.quarry.lambda.S3EventToPartitions.Found;
import dev.quarry.lambda.S3EventToPartitions.Ignored;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class S3EventToPartitionsTest {
    private static final String BUCKET = "quarry-logs-123456789012";

    @Test
    void a_new_object_under_a_day_directory_announces_that_days_partition() {
        Found found = S3EventToPartitions.found(TestingEvents.s3Event("s3-put-single.json"));

        assertThat(found.byBucket()).isEqualTo(Map.of(BUCKET, Set.of(partition(BUCKET, "2026-11-26"))));
        assertThat(found.ignored()).isEmpty();
    }

    @Test
    void several_records_announce_their_distinct_days_grouped_by_bucket() {
        Found found = S3EventToPartitions.found(TestingEvents.s3Event("s3-put-several.json"));

        assertThat(found.byBucket().keySet()).containsExactly(BUCKET, "quarry-logs-replica-123456789012");
        assertThat(found.byBucket().get(BUCKET)).containsExactly(partition(BUCKET, "2026-11-26"),
                partition(BUCKET, "2026-11-25"));
        assertThat(found.byBucket().get("quarry-logs-replica-123456789012"))
                .containsExactly(partition("quarry-logs-replica-123456789012", "2026-11-24"));
        assertThat(found.ignored()).isEmpty();
    }

    @Test
    void keys_are_url_decoded_with_plus_for_space() {
        Found found = S3EventToPartitions.found(TestingEvents.s3Event("s3-put-url-encoded-key.json"));

        assertThat(found.partitions()).containsExactly(partition(BUCKET, "2026-11-26"));
        assertThat(S3EventToPartitions.decodeKey("logs/dt%3D2026-11-26/app+logs+%C3%A9t%C3%A9+%282%29.parquet"))
                .contains("logs/dt=2026-11-26/app logs été (2).parquet");
    }

    @Test
    void the_error_prefix_other_prefixes_impossible_days_and_directory_markers_are_ignored_each_with_its_reason() {
        Found found = S3EventToPartitions.found(TestingEvents.s3Event("s3-put-errors-prefix.json"));

        assertThat(found.byBucket()).isEmpty();
        assertThat(found.ignored()).extracting(Ignored::key).containsExactly(
                "errors/format-conversion-failed/2026/11/26/10/"
                        + "quarry-firehose-1-2026-11-26-10-15-30-3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7",
                "exports/dt=2026-11-26/summary.csv",
                "logs/dt=2026-02-30/impossible.parquet",
                "logs/dt=2026-11-26/");
        assertThat(found.ignored()).extracting(Ignored::reason).containsOnly("not an object under logs/dt=YYYY-MM-DD/");
    }

    @Test
    void removals_are_ignored() {
        Found found = S3EventToPartitions.found(TestingEvents.s3Event("s3-delete.json"));

        assertThat(found.byBucket()).isEmpty();
        assertThat(found.ignored()).singleElement().satisfies(ignored -> {
            assertThat(ignored.eventName()).isEqualTo("ObjectRemoved:Delete");
            assertThat(ignored.reason()).isEqualTo("not an ObjectCreated event");
        });
    }

    @Test
    void a_redelivered_notification_announces_the_same_partitions_again() {
        assertThat(S3EventToPartitions.found(TestingEvents.s3Event("s3-put-redelivery.json")))
                .isEqualTo(S3EventToPartitions.found(TestingEvents.s3Event("s3-put-single.json")));
    }

    @ParameterizedTest
    @CsvSource({"s3-put-single.json, 1, 1, 0", "s3-put-several.json, 4, 3, 0", "s3-put-url-encoded-key.json, 1, 1, 0",
            "s3-put-errors-prefix.json, 4, 0, 4", "s3-delete.json, 1, 0, 1", "s3-put-redelivery.json, 1, 1, 0"})
    void every_fixture_announces_its_distinct_days_and_ignores_the_rest(String fixture, int records, int partitions,
            int ignored) {
        S3Event event = TestingEvents.s3Event(fixture);
        Found found = S3EventToPartitions.found(event);

        assertThat(event.getRecords()).hasSize(records);
        assertThat(found.partitions()).hasSize(partitions)
                .allSatisfy(p -> assertThat(p.location()).matches("s3://[a-z0-9-]+/logs/dt=\\d{4}-\\d{2}-\\d{2}/"));
        assertThat(found.ignored()).hasSize(ignored);
    }

    @Test
    void an_event_without_records_announces_nothing() {
        assertThat(S3EventToPartitions.found(new S3Event(List.of())).byBucket()).isEmpty();
        assertThat(S3EventToPartitions.found(new S3Event(null)).ignored()).isEmpty();
    }

    @Test
    void a_record_from_another_source_is_refused() {
        S3Event event = TestingEvents.s3Event("s3-put-single.json");
        S3Event other = new S3Event(List.of(new com.amazonaws.services.lambda.runtime.events.models.s3
                .S3EventNotification.S3EventNotificationRecord(
                        event.getRecords().get(0).getAwsRegion(), "ObjectCreated:Put", "aws:sqs",
                        event.getRecords().get(0).getEventTime().toString(), "2.1", null, null,
                        event.getRecords().get(0).getS3(), null)));

        assertThatThrownBy(() -> S3EventToPartitions.found(other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot handle a record from aws:sqs, because the partition function takes S3 event "
                        + "notifications only");
    }

    @Test
    void a_key_that_is_not_validly_encoded_is_ignored() {
        assertThat(S3EventToPartitions.decodeKey("logs/dt%3D2026-11-26/50%.parquet")).isEmpty();
        assertThat(S3EventToPartitions.decodeKey("logs/dt%3D2026-11-26/%zz.parquet")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("keys")
    void decoding_undoes_the_encoding_s3_applies_to_keys(Case<String> c) {
        c.check(key -> {
            String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");

            assertThat(S3EventToPartitions.decodeKey(encoded)).contains(key);
        });
    }

    /** S3 keys are UTF-8, so any text without lone surrogates: empty, ASCII, every plane, '+', '%', '/'. */
    static Stream<Case<String>> keys() {
        return TestingCases.cases("keys", 1000, S3EventToPartitionsTest::key);
    }

    private static String key(SplittableRandom r) {
        String key;
        do {
            key = TestingCases.anyString(r);
        } while (hasLoneSurrogate(key));
        return key;
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void the_location_of_a_day_is_its_directory_in_the_bucket() {
        assertThat(S3EventToPartitions.location("b", LocalDate.of(2026, 1, 2))).isEqualTo("s3://b/logs/dt=2026-01-02/");
    }

    private static Partition partition(String bucket, String day) {
        return new Partition(LocalDate.parse(day), "s3://" + bucket + "/logs/dt=" + day + "/");
    }
}
