package dev.quarry.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scripts/smoke against a fake {@code aws} and {@code curl} on PATH (jq is the system's): what it posts, and how it
 * reads what Firehose wrote. The bucket listing is list-objects-v2's JSON ({@code Contents[{Key, LastModified}]},
 * as the AWS CLI v2 prints it); error objects hold one JSON document per failed record, with
 * {@code errorCode}/{@code errorMessage} for dynamic partitioning and {@code ErrorCode}/{@code ErrorMessage} for
 * data format conversion (Firehose developer guide, "Handling errors for data format conversion").
 */
class SmokeScriptTest {

    @TempDir
    Path bin;

    @BeforeEach
    void fakes() throws IOException {
        Files.createDirectories(bin.resolve("objects"));
        listing("errors/", "");
        listing("logs/", object("logs/dt=2026-12-02/quarry-dev-logs-1-2026-12-02-18-50-01.parquet", "2099-01-01T00:00:00+00:00"));
        script("aws", """
                #!/bin/sh
                echo "$*" >> '%1$s/calls'
                case "$1 $2" in
                  'cloudformation describe-stacks') echo '[{"OutputKey":"IngestUrl","OutputValue":"https://api.example/dev/logs"},{"OutputKey":"SummaryUrl","OutputValue":"https://cdn.example/"},{"OutputKey":"ApiKeyId","OutputValue":"k1"},{"OutputKey":"LogsBucketName","OutputValue":"quarry-dev-logs-bucket"}]' ;;
                  'apigateway get-api-key') echo 'the-key' ;;
                  'firehose describe-delivery-stream') echo 60 ;;
                  's3api list-objects-v2') for a in "$@"; do [ "$prev" = --prefix ] && p="$a"; prev="$a"; done
                    cat "%1$s/list-$(echo "$p" | tr / _)" ;;
                  's3 cp') cat "%1$s/objects/$(echo "$5" | sed 's|s3://[^/]*/||' | tr / _)" ;;
                  *) echo "fake aws: unexpected $*" >&2; exit 2 ;;
                esac
                """.formatted(bin));
        script("curl", """
                #!/bin/sh
                out=; data=
                while [ $# -gt 0 ]; do
                  case "$1" in -o) out="$2"; shift ;; -d) data="$2"; shift ;; esac; shift
                done
                [ -n "$data" ] && printf '%%s' "$data" > '%1$s/posted'
                echo '{"accepted": true}' > "$out"; printf 200
                """.formatted(bin));
    }

    private void script(String name, String text) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String object(String key, String lastModified) {
        return "{\"Key\":\"" + key + "\",\"LastModified\":\"" + lastModified + "\",\"Size\":10}";
    }

    private void listing(String prefix, String... objects) throws IOException {
        List<String> present = new ArrayList<>(List.of(objects));
        present.removeIf(String::isEmpty);
        Files.writeString(bin.resolve("list-" + prefix.replace('/', '_')),
                present.isEmpty() ? "{\"KeyCount\":0}" : "{\"Contents\":[" + String.join(",", present) + "],\"KeyCount\":1}");
    }

    private void errorObject(String key, String text) throws IOException {
        Files.writeString(bin.resolve("objects").resolve(key.replace('/', '_')), text);
    }

    private TestingScripts.Output smoke() throws Exception {
        return TestingScripts.run(bin, List.of(), false, "scripts/smoke", "--stage", "dev", "--wait", "0");
    }

    @Test
    void posts_one_record_of_each_timestamp_form_and_passes_when_nothing_is_under_errors() throws Exception {
        TestingScripts.Output run = smoke();

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("smoke: ok");
        JsonNode posted = ServerlessTemplateIT.json(Files.readString(bin.resolve("posted")));
        assertThat(posted).hasSize(5);
        assertThat(posted.get(0).path("timestamp").isIntegralNumber()).isTrue();
        assertThat(posted.get(1).path("timestamp").textValue()).matches("[0-9]{13}");
        assertThat(posted.get(2).path("timestamp").textValue()).matches("[0-9-]{10}T[0-9:]{8}\\.[0-9]{3}Z");
        assertThat(posted.get(3).path("timestamp").textValue()).matches("[0-9-]{10}T[0-9:]{8}\\.[0-9]{6}Z");
        assertThat(posted.get(4).has("timestamp")).isFalse();
        for (JsonNode record : posted) {
            assertThat(record.path("source").textValue()).isEqualTo("smoke");
        }
        assertThat(Files.readString(bin.resolve("calls"))).contains("s3api list-objects-v2 --region us-east-1"
                + " --bucket quarry-dev-logs-bucket --prefix errors/");
    }

    @Test
    void fails_naming_the_error_code_of_each_object_under_errors() throws Exception {
        String partitioning = "errors/processing-failed/dt=2026-12-02/quarry-dev-logs-1.json";
        String conversion = "errors/format-conversion-failed/dt=2026-12-02/quarry-dev-logs-2.json";
        listing("errors/", object(partitioning, "2099-01-01T00:00:00+00:00"), object(conversion, "2099-01-01T00:00:01+00:00"),
                object("errors/processing-failed/dt=2020-01-01/old.json", "2020-01-01T00:00:00+00:00"));
        errorObject(partitioning, "{\"attemptsMade\":1,\"arrivalTimestamp\":1764700000000,"
                + "\"errorCode\":\"DynamicPartitioning.MetadataExtractionFailed\",\"errorMessage\":\"jq: error: capture/1 is not defined\","
                + "\"rawData\":\"e30=\"}\n");
        errorObject(conversion, "{\"attemptsMade\":1,\"ErrorCode\":\"DataFormatConversion.MalformedData\","
                + "\"ErrorMessage\":\"Could not parse timestamp\",\"rawData\":\"e30=\"}\n"
                + "{\"attemptsMade\":1,\"ErrorCode\":\"DataFormatConversion.MalformedData\",\"ErrorMessage\":\"again\"}\n");

        TestingScripts.Output run = smoke();

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.stderr())
                .contains("Firehose put records under s3://quarry-dev-logs-bucket/errors/")
                .contains(partitioning + ": DynamicPartitioning.MetadataExtractionFailed: jq: error: capture/1 is not defined")
                .contains(conversion + ": DataFormatConversion.MalformedData: Could not parse timestamp")
                .contains(conversion + ": DataFormatConversion.MalformedData: again")
                .doesNotContain("old.json");
        assertThat(run.stdout()).doesNotContain("smoke: ok");
    }

    @Test
    void fails_when_nothing_reached_logs_after_the_wait() throws Exception {
        listing("logs/", object("logs/dt=2020-01-01/old.parquet", "2020-01-01T00:00:00+00:00"));

        TestingScripts.Output run = smoke();

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.stderr()).contains("nothing under s3://quarry-dev-logs-bucket/logs/ since")
                .contains("/aws/kinesisfirehose/quarry-dev-logs");
    }

    @Test
    void waits_the_streams_buffer_interval_and_more_when_no_wait_is_given() throws Exception {
        script("sleep", "#!/bin/sh\necho \"$1\" > '" + bin + "/slept'\n");

        TestingScripts.Output run = TestingScripts.run(bin, List.of(), false, "scripts/smoke", "--stage", "dev");

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(Files.readString(bin.resolve("slept")).strip()).isEqualTo("180");
        assertThat(Files.readString(bin.resolve("calls"))).contains("firehose describe-delivery-stream --region us-east-1"
                + " --delivery-stream-name quarry-dev-logs");
    }
}
