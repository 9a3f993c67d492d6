package dev.quarry.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class EventDayTest {
    /** Late in the day, so that both edges of the window lie on other UTC days than the day received. */
    private static final Instant RECEIVED = Instant.parse("2026-11-26T23:00:00Z");
    private static final LocalDate RECEIVED_DAY = LocalDate.of(2026, 11, 26);

    @Test
    void the_window_is_fourteen_days_back_and_two_hours_ahead() {
        assertThat(EventDay.MAX_AGE).isEqualTo(Duration.ofDays(14));
        assertThat(EventDay.MAX_AHEAD).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void a_timestamp_exactly_fourteen_days_before_receipt_is_filed_under_its_own_day() {
        assertThat(EventDay.of(Instant.parse("2026-11-12T23:00:00Z"), RECEIVED)).isEqualTo(LocalDate.of(2026, 11, 12));
    }

    @Test
    void a_timestamp_a_nanosecond_older_than_fourteen_days_is_filed_under_the_day_received() {
        assertThat(EventDay.of(Instant.parse("2026-11-12T22:59:59.999999999Z"), RECEIVED)).isEqualTo(RECEIVED_DAY);
        assertThat(EventDay.of(Instant.parse("2026-11-12T22:59:59.999Z"), RECEIVED)).isEqualTo(RECEIVED_DAY);
    }

    @Test
    void a_timestamp_exactly_two_hours_after_receipt_is_filed_under_its_own_day() {
        assertThat(EventDay.of(Instant.parse("2026-11-27T01:00:00Z"), RECEIVED)).isEqualTo(LocalDate.of(2026, 11, 27));
    }

    @Test
    void a_timestamp_a_nanosecond_more_than_two_hours_ahead_is_filed_under_the_day_received() {
        assertThat(EventDay.of(Instant.parse("2026-11-27T01:00:00.000000001Z"), RECEIVED)).isEqualTo(RECEIVED_DAY);
        assertThat(EventDay.of(Instant.parse("2026-11-27T01:00:00.001Z"), RECEIVED)).isEqualTo(RECEIVED_DAY);
    }

    @Test
    void a_timestamp_equal_to_receipt_is_filed_under_the_day_received() {
        assertThat(EventDay.of(RECEIVED, RECEIVED)).isEqualTo(RECEIVED_DAY);
    }

    @Test
    void timestamps_far_in_the_past_or_future_are_filed_under_the_day_received() {
        assertThat(EventDay.of(Timestamps.EARLIEST, RECEIVED)).isEqualTo(RECEIVED_DAY);
        assertThat(EventDay.of(Instant.parse("2099-12-31T23:59:59.999Z"), RECEIVED)).isEqualTo(RECEIVED_DAY);
    }

    @Test
    void the_last_millisecond_of_a_day_and_the_first_of_the_next_land_on_different_days() {
        Instant received = Instant.parse("2026-11-27T00:30:00Z");
        assertThat(EventDay.of(Instant.parse("2026-11-26T23:59:59.999Z"), received)).isEqualTo(LocalDate.of(2026, 11, 26));
        assertThat(EventDay.of(Instant.parse("2026-11-27T00:00:00.000Z"), received)).isEqualTo(LocalDate.of(2026, 11, 27));
    }

    @Test
    void a_record_received_just_before_midnight_about_an_event_just_after_is_filed_under_the_event_day() {
        Instant received = Instant.parse("2026-11-26T23:59:59.999Z");
        assertThat(EventDay.of(Instant.parse("2026-11-27T00:00:00Z"), received)).isEqualTo(LocalDate.of(2026, 11, 27));
    }

    @Test
    void the_utc_day_ignores_the_local_time_zone() {
        assertThat(EventDay.utcDay(Instant.parse("2026-11-26T23:59:59.999999999Z"))).isEqualTo(RECEIVED_DAY);
        assertThat(EventDay.utcDay(Instant.parse("2026-11-27T00:00:00Z"))).isEqualTo(LocalDate.of(2026, 11, 27));
    }
}
