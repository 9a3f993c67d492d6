package dev.quarry.local.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.quarry.testing.TestingLogs;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalRecoveryTest {
    @TempDir
    Path directory;

    /** A cut is logged for the operator; captured so that a green build prints none of them. */
    private TestingLogs logs;

    @BeforeEach
    void captureLogs() {
        logs = TestingLogs.capture(WalRecovery.class);
    }

    @AfterEach
    void onlyCutsAreLogged() {
        logs.close();
        assertThat(logs.messages(Level.ALL)).allSatisfy(message -> assertThat(message)
                .matches("Cutting [0-9]+ byte\\(s\\) of an unacknowledged, torn request from segment-[0-9]{16}\\.ndjson"));
    }

    private static final String A = "{\"source\":\"a\",\"message\":\"a\"}\n{\"end\":1}\n";
    private static final String B = "{\"source\":\"b\",\"message\":\"b\\n\"}\n{\"source\":\"b\"}\n{\"end\":2}\n";

    @Test
    void complete_lines_are_kept_whole() throws Exception {
        Files.writeString(directory.resolve(Segment.fileName(1)), A + B);
        WalRecovery.Report report = WalRecovery.recover(directory);
        assertThat(report).isEqualTo(new WalRecovery.Report(1, 2, (A + B).getBytes(StandardCharsets.UTF_8).length, 0));
        assertThat(Files.readString(directory.resolve(Segment.fileName(1)))).isEqualTo(A + B);
    }

    @Test
    void a_torn_last_line_is_cut() throws Exception {
        String torn = B.substring(0, 12);
        Files.writeString(directory.resolve(Segment.fileName(1)), A + torn);
        WalRecovery.Report report = WalRecovery.recover(directory);
        assertThat(logs.messages(Level.WARNING)).containsExactly(
                "Cutting 12 byte(s) of an unacknowledged, torn request from " + Segment.fileName(1));
        assertThat(report.bytesCut()).isEqualTo(torn.length());
        assertThat(Files.readString(directory.resolve(Segment.fileName(1)))).isEqualTo(A);
    }

    @Test
    void a_line_of_zero_bytes_after_a_power_loss_is_cut_with_everything_after_it() throws Exception {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(A.getBytes(StandardCharsets.UTF_8));
        content.writeBytes(new byte[40]);
        content.write('\n');
        content.writeBytes(B.getBytes(StandardCharsets.UTF_8));
        Files.write(directory.resolve(Segment.fileName(3)), content.toByteArray());
        WalRecovery.Report report = WalRecovery.recover(directory);
        assertThat(report.requests()).isEqualTo(1);
        assertThat(Files.readString(directory.resolve(Segment.fileName(3)))).isEqualTo(A);
    }

    @Test
    void a_request_whose_end_line_is_missing_is_cut_whole() throws Exception {
        String recordsWithoutEnd = "{\"source\":\"c\"}\n{\"source\":\"d\"}\n";
        Files.writeString(directory.resolve(Segment.fileName(1)), A + recordsWithoutEnd);
        WalRecovery.Report report = WalRecovery.recover(directory);
        assertThat(report.requests()).isEqualTo(1);
        assertThat(report.bytesCut()).isEqualTo(recordsWithoutEnd.length());
        assertThat(Files.readString(directory.resolve(Segment.fileName(1)))).isEqualTo(A);
    }

    @Test
    void an_end_line_that_does_not_match_its_record_count_is_not_trusted() throws Exception {
        Files.writeString(directory.resolve(Segment.fileName(1)), A + "{\"source\":\"x\"}\n{\"end\":2}\n");
        assertThat(WalRecovery.recover(directory).requests()).isEqualTo(1);
        assertThat(Files.readString(directory.resolve(Segment.fileName(1)))).isEqualTo(A);
    }

    @Test
    void what_the_codec_writes_is_recovered_whole() throws Exception {
        dev.quarry.record.RecordParser parser = dev.quarry.record.RecordParser.create();
        byte[] request = WalCodec.encode(parser.parse(("[{\"source\":\"s\",\"logtype\":\"info\",\"message\":"
                + "\"line\\nbreak \\\"quoted\\\" 😀\"},{\"source\":\"t\",\"logtype\":\"info\",\"message\":\"m\"}]")
                .getBytes(StandardCharsets.UTF_8), java.time.Instant.now()));
        Files.write(directory.resolve(Segment.fileName(1)), request);
        WalRecovery.Report report = WalRecovery.recover(directory);
        assertThat(report.requests()).isEqualTo(1);
        assertThat(report.bytesCut()).isZero();
        assertThat(new String(request, StandardCharsets.UTF_8)).hasLineCount(3);
    }

    @Test
    void a_segment_with_nothing_complete_is_deleted() throws Exception {
        Files.writeString(directory.resolve(Segment.fileName(2)), "{\"source\":\"a\"}\n{\"end\"");
        Files.writeString(directory.resolve("unrelated.txt"), "kept");
        WalRecovery.Report report = WalRecovery.recover(directory);
        assertThat(report.segments()).isZero();
        assertThat(directory.resolve(Segment.fileName(2))).doesNotExist();
        assertThat(directory.resolve("unrelated.txt")).exists();
    }
}
