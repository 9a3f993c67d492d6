package dev.quarry.local.tail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.record.LogRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TailBufferTest {
    private static LogRecord record(int n) {
        Instant t = Instant.parse("2026-12-02T10:00:00Z").plusMillis(n);
        return new LogRecord("s", "info", t, "m" + n, Map.of(), t, LocalDate.of(2026, 12, 2));
    }

    private static List<Object> drain(TailBuffer buffer) {
        List<Object> all = new ArrayList<>();
        for (List<Object> taken = buffer.take(3); !taken.isEmpty(); taken = buffer.take(3)) {
            all.addAll(taken);
        }
        return all;
    }

    @Test
    void the_consumer_is_woken_once_until_it_has_taken_everything() {
        TailBuffer buffer = new TailBuffer(10);
        assertThat(buffer.offer(record(1))).isTrue();
        assertThat(buffer.offer(record(2))).isFalse();
        assertThat(drain(buffer)).containsExactly(record(1), record(2));
        assertThat(buffer.offer(record(3))).as("after an empty take, the next record wakes it again").isTrue();
    }

    @Test
    void a_client_too_far_behind_is_told_how_many_it_missed_where_they_were_and_goes_on() {
        TailBuffer buffer = new TailBuffer(3);
        for (int i = 1; i <= 8; i++) {
            buffer.offer(record(i));
        }
        assertThat(buffer.size()).isEqualTo(3);
        assertThat(buffer.take(2)).containsExactly(record(1), record(2));
        buffer.offer(record(9));
        buffer.offer(record(10));
        assertThat(drain(buffer)).containsExactly(record(3), new TailBuffer.Lagged(5), record(9), record(10));
    }

    @Test
    void a_skip_with_nothing_after_it_is_reported_once_the_records_before_it_are_taken() {
        TailBuffer buffer = new TailBuffer(2);
        for (int i = 1; i <= 5; i++) {
            buffer.offer(record(i));
        }
        assertThat(buffer.take(2)).containsExactly(record(1), record(2));
        assertThat(buffer.take(2)).containsExactly(new TailBuffer.Lagged(3));
        assertThat(buffer.take(2)).isEmpty();
        assertThat(buffer.offer(record(6))).isTrue();
        assertThat(drain(buffer)).containsExactly(record(6));
    }

    @Test
    void the_contract_bound_is_ten_thousand_records() {
        assertThat(TailBuffer.MAX_BEHIND).isEqualTo(10_000);
    }
}
