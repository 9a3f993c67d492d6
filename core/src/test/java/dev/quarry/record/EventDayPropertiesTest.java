package dev.quarry.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/** Property tests of the recency window (named *Test so that surefire's default includes run it). */
class EventDayPropertiesTest {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long FOURTEEN_DAYS = 14L * 86_400 * NANOS_PER_SECOND;
    private static final long TWO_HOURS = 2L * 3_600 * NANOS_PER_SECOND;

    @Property
    void the_day_is_the_event_day_inside_the_window_and_the_day_received_outside(
            @ForAll("receivedAt") Instant receivedAt, @ForAll("offsets") long offsetNanos) {
        Instant timestamp = receivedAt.plusNanos(offsetNanos);
        boolean inside = offsetNanos >= -FOURTEEN_DAYS && offsetNanos <= TWO_HOURS;
        LocalDate eventDay = LocalDate.ofInstant(timestamp, ZoneOffset.UTC);
        LocalDate dayReceived = LocalDate.ofInstant(receivedAt, ZoneOffset.UTC);
        Statistics.label("inside").collect(inside);
        Statistics.label("days differ").collect(!eventDay.equals(dayReceived));

        LocalDate day = EventDay.of(timestamp, receivedAt);

        assertThat(day).isIn(eventDay, dayReceived);
        assertThat(day).isEqualTo(inside ? eventDay : dayReceived);
        if (!eventDay.equals(dayReceived)) {
            assertThat(day.equals(eventDay)).as("filed under the event day").isEqualTo(inside);
        }
    }

    @Provide
    Arbitrary<Instant> receivedAt() {
        return Arbitraries.longs()
                .between(Timestamps.EARLIEST.getEpochSecond(), Timestamps.END.getEpochSecond() - 1)
                .withDistribution(RandomDistribution.uniform())
                .flatMap(s -> Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.longs().between(0, NANOS_PER_SECOND - 1)),
                        Tuple.of(1, Arbitraries.just(0L)),
                        Tuple.of(1, Arbitraries.just(NANOS_PER_SECOND - 1)))
                        .map(n -> Instant.ofEpochSecond(s, n)));
    }

    @Provide
    Arbitrary<Long> offsets() {
        Arbitrary<Long> edge = Arbitraries.longs().between(-2, 2);
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().between(-FOURTEEN_DAYS - 30L * 86_400 * NANOS_PER_SECOND,
                        TWO_HOURS + 86_400 * NANOS_PER_SECOND).withDistribution(RandomDistribution.uniform())),
                Tuple.of(2, edge.map(d -> -FOURTEEN_DAYS + d)),
                Tuple.of(2, edge.map(d -> TWO_HOURS + d)),
                Tuple.of(1, edge.map(d -> -FOURTEEN_DAYS + d * 1_000_000)),
                Tuple.of(1, edge.map(d -> TWO_HOURS + d * 1_000_000)),
                Tuple.of(1, Arbitraries.longs().between(-40L * 365 * 86_400 * NANOS_PER_SECOND,
                        40L * 365 * 86_400 * NANOS_PER_SECOND).withDistribution(RandomDistribution.uniform())));
    }
}
