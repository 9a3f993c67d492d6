package dev.quarry.record;

import static dev.quarry.testing.TestingCases.between;
import static dev.quarry.testing.TestingCases.cases;
import static dev.quarry.testing.TestingCases.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.testing.TestingCases.Case;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Property tests of the recency window (named *Test so that surefire's default includes run it). */
class EventDayPropertiesTest {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long FOURTEEN_DAYS = 14L * 86_400 * NANOS_PER_SECOND;
    private static final long TWO_HOURS = 2L * 3_600 * NANOS_PER_SECOND;
    private static final int TRIES = 1000;

    record Arrival(Instant receivedAt, long offsetNanos) {
        boolean inside() {
            return offsetNanos >= -FOURTEEN_DAYS && offsetNanos <= TWO_HOURS;
        }

        Instant timestamp() {
            return receivedAt.plusNanos(offsetNanos);
        }

        boolean daysDiffer() {
            return !LocalDate.ofInstant(timestamp(), ZoneOffset.UTC)
                    .equals(LocalDate.ofInstant(receivedAt, ZoneOffset.UTC));
        }
    }

    @ParameterizedTest
    @MethodSource("arrivals")
    void the_day_is_the_event_day_inside_the_window_and_the_day_received_outside(Case<Arrival> c) {
        c.check(in -> {
            LocalDate eventDay = LocalDate.ofInstant(in.timestamp(), ZoneOffset.UTC);
            LocalDate dayReceived = LocalDate.ofInstant(in.receivedAt(), ZoneOffset.UTC);

            LocalDate day = EventDay.of(in.timestamp(), in.receivedAt());

            assertThat(day).isIn(eventDay, dayReceived);
            assertThat(day).isEqualTo(in.inside() ? eventDay : dayReceived);
            if (in.daysDiffer()) {
                assertThat(day.equals(eventDay)).as("filed under the event day").isEqualTo(in.inside());
            }
        });
    }

    /** The generator reaches each kind of case the property distinguishes, often enough to matter. */
    @Test
    void the_generated_arrivals_cover_inside_outside_and_differing_days() {
        var all = arrivals().map(Case::input).toList();

        assertThat(all.stream().filter(Arrival::inside).count()).isGreaterThan(TRIES / 5);
        assertThat(all.stream().filter(a -> !a.inside()).count()).isGreaterThan(TRIES / 5);
        assertThat(all.stream().filter(a -> a.inside() && a.daysDiffer()).count()).isGreaterThan(TRIES / 10);
        assertThat(all.stream().filter(a -> !a.inside() && a.daysDiffer()).count()).isGreaterThan(TRIES / 10);
    }

    static Stream<Case<Arrival>> arrivals() {
        return cases("arrivals", TRIES, r -> new Arrival(receivedAt(r), offset(r)));
    }

    static Instant receivedAt(SplittableRandom r) {
        long second = between(r, Timestamps.EARLIEST.getEpochSecond(), Timestamps.END.getEpochSecond() - 1);
        long nanos = switch (weighted(r, 3, 1, 1)) {
            case 0 -> between(r, 0, NANOS_PER_SECOND - 1);
            case 1 -> 0;
            default -> NANOS_PER_SECOND - 1;
        };
        return Instant.ofEpochSecond(second, nanos);
    }

    static long offset(SplittableRandom r) {
        long edge = between(r, -2, 2);
        long forty = 40L * 365 * 86_400 * NANOS_PER_SECOND;
        return switch (weighted(r, 4, 2, 2, 1, 1, 1)) {
            case 0 -> between(r, -FOURTEEN_DAYS - 30L * 86_400 * NANOS_PER_SECOND, TWO_HOURS + 86_400 * NANOS_PER_SECOND);
            case 1 -> -FOURTEEN_DAYS + edge;
            case 2 -> TWO_HOURS + edge;
            case 3 -> -FOURTEEN_DAYS + edge * 1_000_000;
            case 4 -> TWO_HOURS + edge * 1_000_000;
            default -> between(r, -forty, forty);
        };
    }
}
