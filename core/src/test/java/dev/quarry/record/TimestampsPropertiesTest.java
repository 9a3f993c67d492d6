package dev.quarry.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/** Property tests of the timestamp forms (named *Test so that surefire's default includes run it). */
class TimestampsPropertiesTest {
    private static final long FIRST_MS = 946_684_800_000L;
    private static final long END_MS = 4_102_444_800_000L;
    private static final BigInteger FIRST = BigInteger.valueOf(FIRST_MS);
    private static final BigInteger END = BigInteger.valueOf(END_MS);
    private static final Pattern SCHEMA_DIGITS = SchemaFile.digitStringPattern();
    private static final Pattern SCHEMA_ISO = SchemaFile.isoPattern();

    @Property
    void from_epoch_millis_accepts_a_long_iff_it_lies_in_the_range(@ForAll("millis") long millis) {
        boolean inRange = millis >= FIRST_MS && millis < END_MS;
        Statistics.label("in range").collect(inRange);
        Instant parsed = accepted(() -> Timestamps.fromEpochMillis(millis));
        assertThat(parsed != null).as("accepted %s", millis).isEqualTo(inRange);
        if (parsed != null) {
            assertThat(parsed.toEpochMilli()).isEqualTo(millis);
        }
    }

    @Property
    void the_schema_digit_pattern_accepts_a_digit_string_iff_the_parser_does(@ForAll("digitStrings") String digits) {
        boolean expected = (digits.length() == 1 || digits.charAt(0) != '0')
                && new BigInteger(digits).compareTo(FIRST) >= 0 && new BigInteger(digits).compareTo(END) < 0;
        boolean schema = SCHEMA_DIGITS.matcher(digits).matches();
        Instant parsed = accepted(() -> Timestamps.fromText(digits));
        Statistics.label("accepted").collect(expected);
        assertThat(schema).as("schema accepts '%s'", digits).isEqualTo(expected);
        assertThat(parsed != null).as("parser accepts '%s'", digits).isEqualTo(expected);
        if (parsed != null) {
            assertThat(BigInteger.valueOf(parsed.toEpochMilli())).isEqualTo(new BigInteger(digits));
        }
    }

    @Property
    void the_schema_iso_pattern_accepts_a_formatted_instant_iff_the_parser_does(
            @ForAll("instants") Instant instant, @ForAll("fractionDigits") int fractionDigits) {
        String text = iso(instant, fractionDigits);
        boolean inRange = !instant.isBefore(Timestamps.EARLIEST) && instant.isBefore(Timestamps.END);
        Statistics.label("in range").collect(inRange);
        boolean schema = SCHEMA_ISO.matcher(text).matches();
        Instant parsed = accepted(() -> Timestamps.fromText(text));
        assertThat(schema).as("schema accepts '%s'", text).isEqualTo(inRange);
        assertThat(parsed != null).as("parser accepts '%s'", text).isEqualTo(inRange);
        if (parsed != null) {
            Instant sent = truncateToDigits(instant, fractionDigits);
            assertThat(parsed).isEqualTo(sent.truncatedTo(ChronoUnit.MICROS));
        }
    }

    @Property
    void iso_dates_the_schema_pattern_accepts_are_refused_by_the_parser_only_when_not_in_the_calendar(
            @ForAll("isoFields") Tuple.Tuple4<Integer, Integer, Integer, Integer> fields) {
        int year = fields.get1();
        int month = fields.get2();
        int day = fields.get3();
        int second = fields.get4();
        String text = String.format("%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, second / 3600,
                second / 60 % 60, second % 60);
        boolean realDate = YearMonth.of(year, month).isValidDay(day);
        Statistics.label("real date").collect(realDate);
        assertThat(SCHEMA_ISO.matcher(text).matches()).as("schema accepts '%s'", text).isTrue();
        Instant parsed = accepted(() -> Timestamps.fromText(text));
        assertThat(parsed != null).as("parser accepts '%s'", text).isEqualTo(realDate);
        if (parsed != null) {
            assertThat(parsed).isEqualTo(LocalDateTime.of(year, month, day, 0, 0).plusSeconds(second)
                    .toInstant(ZoneOffset.UTC));
        }
    }

    @Provide
    Arbitrary<Long> millis() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.longs()),
                Tuple.of(3, Arbitraries.longs().between(FIRST_MS, END_MS - 1)),
                Tuple.of(2, Arbitraries.longs().between(-1000, 1000).map(d -> FIRST_MS + d)),
                Tuple.of(2, Arbitraries.longs().between(-1000, 1000).map(d -> END_MS + d)),
                Tuple.of(1, Arbitraries.longs().between(-2 * END_MS, 3 * END_MS)));
    }

    @Provide
    Arbitrary<String> digitStrings() {
        Arbitrary<BigInteger> nearEdges = Arbitraries.<BigInteger>oneOf(
                Arbitraries.longs().between(-100_000, 100_000).map(d -> FIRST.add(BigInteger.valueOf(d))),
                Arbitraries.longs().between(-100_000, 100_000).map(d -> END.add(BigInteger.valueOf(d))),
                Arbitraries.longs().between(0, END_MS * 3).map(BigInteger::valueOf),
                Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.TEN.pow(25)))
                .filter(b -> b.signum() >= 0);
        Arbitrary<String> numbers = nearEdges.map(BigInteger::toString);
        Arbitrary<String> withLeadingZeros = Combinators.combine(
                Arbitraries.strings().withChars('0').ofMinLength(1).ofMaxLength(3), numbers).as(String::concat);
        // Each digit free, lengths around 12 and 13 where the range lies.
        Arbitrary<String> freeDigits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> twelveOrThirteen = Arbitraries.strings().numeric().ofMinLength(12).ofMaxLength(13);
        return Arbitraries.frequencyOf(Tuple.of(4, numbers), Tuple.of(1, withLeadingZeros), Tuple.of(2, freeDigits),
                Tuple.of(3, twelveOrThirteen));
    }

    @Provide
    Arbitrary<Instant> instants() {
        long min = LocalDateTime.of(1000, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
        long max = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);
        long first = Timestamps.EARLIEST.getEpochSecond();
        long end = Timestamps.END.getEpochSecond();
        Arbitrary<Long> seconds = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.longs().between(min, max).withDistribution(RandomDistribution.uniform())),
                Tuple.of(4, Arbitraries.longs().between(first - 10L * 365 * 86_400, end + 10L * 365 * 86_400)
                        .withDistribution(RandomDistribution.uniform())),
                Tuple.of(2, Arbitraries.longs().between(-3, 2).map(d -> first + d)),
                Tuple.of(2, Arbitraries.longs().between(-3, 2).map(d -> end + d)));
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.integers().between(0, 999_999_999),
                Arbitraries.of(0, 999_999_999, 1, 999_000_000, 999_999_000));
        return Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<Integer> fractionDigits() {
        return Arbitraries.integers().between(0, 9);
    }

    @Provide
    Arbitrary<Tuple.Tuple4<Integer, Integer, Integer, Integer>> isoFields() {
        return Combinators.combine(
                Arbitraries.integers().between(2000, 2099),
                Arbitraries.integers().between(1, 12),
                Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.integers().between(1, 31)),
                        Tuple.of(2, Arbitraries.integers().between(28, 31))),
                Arbitraries.integers().between(0, 86_399)).as(Tuple::of);
    }

    /** The ISO-8601 UTC form with exactly {@code fractionDigits} digits of fraction (0: none, no dot). */
    static String iso(Instant instant, int fractionDigits) {
        LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d", t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
        if (fractionDigits > 0) {
            text += "." + String.format("%09d", t.getNano()).substring(0, fractionDigits);
        }
        return text + "Z";
    }

    private static Instant truncateToDigits(Instant instant, int fractionDigits) {
        long unit = (long) Math.pow(10, 9 - fractionDigits);
        return Instant.ofEpochSecond(instant.getEpochSecond(), instant.getNano() / unit * unit);
    }

    interface TimestampSupplier {
        Instant get() throws Timestamps.InvalidTimestampException;
    }

    /** The parsed instant, or null when refused (any other exception fails the property). */
    static Instant accepted(TimestampSupplier parse) {
        try {
            return parse.get();
        } catch (Timestamps.InvalidTimestampException e) {
            return null;
        }
    }
}
