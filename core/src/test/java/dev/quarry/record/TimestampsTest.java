package dev.quarry.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
    private static final long FIRST_MS = 1_000_000_000_000L; // 2001-09-09T01:46:40Z, the first 13-digit number
    private static final long END_MS = 4_102_444_800_000L; // 2100-01-01T00:00:00Z

    @Test
    void the_range_is_the_years_2000_to_2099() {
        assertThat(Timestamps.EARLIEST).isEqualTo(LocalDateTime.of(2000, 1, 1, 0, 0).toInstant(ZoneOffset.UTC));
        assertThat(Timestamps.END).isEqualTo(LocalDateTime.of(2100, 1, 1, 0, 0).toInstant(ZoneOffset.UTC));
        assertThat(Timestamps.EARLIEST_EPOCH_MILLIS).isEqualTo(FIRST_MS);
        assertThat(Instant.ofEpochMilli(Timestamps.EARLIEST_EPOCH_MILLIS)).isEqualTo("2001-09-09T01:46:40Z");
        assertThat(Timestamps.END.toEpochMilli()).isEqualTo(END_MS);
    }

    @Test
    void an_integer_timestamp_is_epoch_milliseconds() throws Exception {
        assertThat(Timestamps.fromEpochMillis(1_694_209_417_035L)).isEqualTo("2023-09-08T21:43:37.035Z");
    }

    @Test
    void a_digit_string_timestamp_is_epoch_milliseconds() throws Exception {
        assertThat(Timestamps.fromText("1694209417035")).isEqualTo("2023-09-08T21:43:37.035Z");
    }

    @Test
    void epoch_milliseconds_start_at_the_first_13_digit_number_and_the_12_digit_one_before_is_refused()
            throws Exception {
        assertThat(Timestamps.fromEpochMillis(FIRST_MS)).isEqualTo("2001-09-09T01:46:40Z");
        assertThat(Timestamps.fromText("1000000000000")).isEqualTo("2001-09-09T01:46:40Z");
        assertThat(Timestamps.fromEpochMillis(FIRST_MS + 1)).isEqualTo("2001-09-09T01:46:40.001Z");
        assertRefusedMillis(FIRST_MS - 1);
        assertRefusedText("999999999999");
    }

    /** The OpenX JSON SerDe would read these as seconds: refused in both forms, though the years are in range. */
    @ParameterizedTest
    @ValueSource(longs = {946_684_800_000L, 946_684_800_001L, 999_999_999_999L, 100_000_000_000L})
    void twelve_digit_epoch_milliseconds_are_refused_in_both_forms(long millis) {
        assertRefusedMillis(millis);
        assertRefusedText(Long.toString(millis));
    }

    @Test
    void an_iso_timestamp_before_the_first_13_digit_millisecond_is_still_accepted() throws Exception {
        assertThat(Timestamps.fromText("2000-01-01T00:00:00Z")).isEqualTo(Timestamps.EARLIEST);
        assertThat(Timestamps.fromText("2001-09-09T01:46:39.999Z")).isEqualTo("2001-09-09T01:46:39.999Z");
    }

    @Test
    void the_last_millisecond_of_2099_is_accepted_and_the_first_of_2100_is_refused() throws Exception {
        assertThat(Timestamps.fromEpochMillis(END_MS - 1)).isEqualTo("2099-12-31T23:59:59.999Z");
        assertThat(Timestamps.fromText("4102444799999")).isEqualTo("2099-12-31T23:59:59.999Z");
        assertRefusedMillis(END_MS);
        assertRefusedText("4102444800000");
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MIN_VALUE, -1_694_209_417_035L, -1, 0, 1, 1_694_209_417, 946_684_799_999L,
            4_102_444_800_000L, 253_402_300_799_999L, Long.MAX_VALUE})
    void epoch_milliseconds_outside_the_range_are_refused(long millis) {
        assertRefusedMillis(millis);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "01694209417035", "001694209417035", "+1694209417035", "-1694209417035", " 1694209417035",
            "1694209417035 ", "1694209417035\n", "1694209417035\r\n", "\n1694209417035", "1694209417035\t",
            "1_694_209_417_035", "1,694,209,417,035", "1694209417035.0", "1.694209417035e12", "1694209417035L",
            "0x18A77A1F44B", "１６９４２０９４１７０３５", "", " ", "0", "00000000000000", "99999999999999999999",
            "1694209417", "16942094170350"})
    void digit_strings_that_are_not_plain_in_range_milliseconds_are_refused(String text) {
        assertRefusedText(text);
    }

    @Test
    void an_iso_utc_timestamp_without_fraction_is_accepted() throws Exception {
        assertThat(Timestamps.fromText("2026-11-26T10:15:30Z")).isEqualTo(
                LocalDateTime.of(2026, 11, 26, 10, 15, 30).toInstant(ZoneOffset.UTC));
    }

    @Test
    void iso_utc_timestamps_with_one_to_nine_fractional_digits_are_floored_to_milliseconds() throws Exception {
        String digits = "987654321";
        for (int n = 1; n <= 9; n++) {
            String fraction = digits.substring(0, n);
            Instant parsed = Timestamps.fromText("2026-11-26T10:15:30." + fraction + "Z");
            int nanos = Integer.parseInt((fraction + "000000000").substring(0, 9));
            assertThat(parsed.getEpochSecond())
                    .as("seconds of %s digits", n)
                    .isEqualTo(LocalDateTime.of(2026, 11, 26, 10, 15, 30).toEpochSecond(ZoneOffset.UTC));
            assertThat(parsed.getNano()).as("nanoseconds of %s digits", n).isEqualTo(nanos / 1_000_000 * 1_000_000);
        }
    }

    @Test
    void digits_past_the_millisecond_never_round_up_into_the_next_second_or_day() throws Exception {
        // Trino rounds: 13:59:59.999600Z became 14:00:00.000 and 23:59:59.999900Z the next day (issue 19).
        assertThat(Timestamps.fromText("2026-11-26T13:59:59.999600Z")).isEqualTo("2026-11-26T13:59:59.999Z");
        assertThat(Timestamps.fromText("2026-11-26T23:59:59.9999Z")).isEqualTo("2026-11-26T23:59:59.999Z");
        assertThat(Timestamps.fromText("2026-11-26T23:59:59.999999999Z")).isEqualTo("2026-11-26T23:59:59.999Z");
    }

    @Test
    void the_example_iso_timestamp_keeps_its_milliseconds() throws Exception {
        assertThat(Timestamps.fromText("2026-11-26T10:15:30.123Z").toEpochMilli() % 1000).isEqualTo(123);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2026-11-26T10:15:30+00:00", "2026-11-26T10:15:30.123+00:00", "2026-11-26T10:15:30+01:00",
            "2026-11-26T10:15:30-05:00", "2026-11-26T10:15:30", "2026-11-26T10:15:30z", "2026-11-26T10:15:30 Z",
            "2026-11-26T10:15:30 UTC", "2026-11-26T10:15:30Z[UTC]", "2026-11-26 10:15:30Z", "2026-11-26t10:15:30Z",
            "2026-11-26", "2026-11-26T10:15Z", "2026-11-26T10:15:30.Z", "2026-11-26T10:15:30.1234567890Z",
            "2026-11-26T10:15:30Z\n", "2026-11-26T10:15:30.123Z\n", " 2026-11-26T10:15:30Z", "+2026-11-26T10:15:30Z",
            "20261126T101530Z", "2026-1-26T10:15:30Z", "2026-11-26T1:15:30Z"})
    void iso_timestamps_that_are_not_utc_with_z_are_refused(String text) {
        assertRefusedText(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T00:00:00Z", "2023-02-29T12:00:00Z", "2100-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-11-00T00:00:00Z",
            "2026-11-32T00:00:00Z"})
    void calendar_invalid_dates_are_refused(String text) {
        assertRefusedText(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-26T24:00:00Z", "2026-11-26T24:00:00.000Z", "2016-12-31T23:59:60Z",
            "2026-11-26T23:59:60Z", "2026-11-26T23:60:00Z", "2026-11-26T25:00:00Z"})
    void times_of_day_outside_00_00_00_to_23_59_59_are_refused(String text) {
        assertRefusedText(text);
    }

    @Test
    void the_29th_of_february_of_a_leap_year_is_accepted() throws Exception {
        assertThat(Timestamps.fromText("2024-02-29T12:00:00Z")).isEqualTo("2024-02-29T12:00:00Z");
        assertThat(Timestamps.fromText("2000-02-29T00:00:00Z")).isEqualTo("2000-02-29T00:00:00Z");
    }

    @Test
    void iso_timestamps_in_1999_and_2100_are_refused() {
        assertRefusedText("1999-12-31T23:59:59.999999999Z");
        assertRefusedText("1999-06-01T00:00:00Z");
        assertRefusedText("2100-01-01T00:00:00Z");
        assertRefusedText("2100-06-01T00:00:00.5Z");
        assertRefusedText("9999-12-31T23:59:59Z");
        assertRefusedText("0000-01-01T00:00:00Z");
    }

    @Test
    void iso_timestamps_at_the_edges_of_the_range_are_accepted() throws Exception {
        assertThat(Timestamps.fromText("2000-01-01T00:00:00Z")).isEqualTo(Timestamps.EARLIEST);
        assertThat(Timestamps.fromText("2099-12-31T23:59:59.999999999Z"))
                .isEqualTo(Timestamps.END.minusMillis(1));
    }

    @Test
    void a_refusal_says_why_and_states_the_rule() {
        assertThatThrownBy(() -> Timestamps.fromText("01694209417035"))
                .isInstanceOf(Timestamps.InvalidTimestampException.class)
                .hasMessageContaining("01694209417035").hasMessageContaining("leading zero")
                .hasMessageContaining(Timestamps.RULE);
        assertThatThrownBy(() -> Timestamps.fromText("2023-02-29T12:00:00Z"))
                .hasMessageContaining("not a real date");
        assertThatThrownBy(() -> Timestamps.fromEpochMillis(4_102_444_800_000L))
                .hasMessageContaining("4102444800000").hasMessageContaining("outside");
    }

    @Test
    void a_long_refused_text_is_abbreviated_in_the_message() {
        String junk = "x".repeat(10_000);
        assertThatThrownBy(() -> Timestamps.fromText(junk))
                .isInstanceOf(Timestamps.InvalidTimestampException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
    }

    static void assertRefusedMillis(long millis) {
        assertThatThrownBy(() -> Timestamps.fromEpochMillis(millis))
                .as("epoch milliseconds %s", millis)
                .isInstanceOf(Timestamps.InvalidTimestampException.class);
    }

    static void assertRefusedText(String text) {
        assertThatThrownBy(() -> Timestamps.fromText(text))
                .as("timestamp text '%s'", text)
                .isInstanceOf(Timestamps.InvalidTimestampException.class);
    }
}
