package dev.quarry.record;

import static dev.quarry.testing.TestingCases.between;
import static dev.quarry.testing.TestingCases.cases;
import static dev.quarry.testing.TestingCases.oneOf;
import static dev.quarry.testing.TestingCases.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.testing.TestingCases;
import dev.quarry.testing.TestingCases.Case;

import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Property tests of the timestamp forms (named *Test so that surefire's default includes run it). */
class TimestampsPropertiesTest {
    private static final long FIRST_MS = Timestamps.EARLIEST_EPOCH_MILLIS;
    private static final long END_MS = 4_102_444_800_000L;
    private static final BigInteger FIRST = BigInteger.valueOf(FIRST_MS);
    private static final BigInteger END = BigInteger.valueOf(END_MS);
    private static final Pattern SCHEMA_DIGITS = SchemaFile.digitStringPattern();
    private static final Pattern SCHEMA_ISO = SchemaFile.isoPattern();
    private static final int TRIES = 1000;

    record Formatted(Instant instant, int fractionDigits) {
        @Override
        public String toString() {
            return iso(instant, fractionDigits);
        }
    }

    record IsoFields(int year, int month, int day, int second) {
    }

    @ParameterizedTest
    @MethodSource("millis")
    void from_epoch_millis_accepts_a_long_iff_it_lies_in_the_range(Case<Long> c) {
        c.check(millis -> {
            boolean inRange = millis >= FIRST_MS && millis < END_MS;
            Instant parsed = accepted(() -> Timestamps.fromEpochMillis(millis));
            assertThat(parsed != null).as("accepted %s", millis).isEqualTo(inRange);
            if (parsed != null) {
                assertThat(parsed.toEpochMilli()).isEqualTo(millis);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("digitStrings")
    void the_schema_digit_pattern_accepts_a_digit_string_iff_the_parser_does(Case<String> c) {
        c.check(digits -> assertThat(digitStringAccepted(digits)).isEqualTo(digitStringInRange(digits)));
    }

    @ParameterizedTest
    @MethodSource("formattedInstants")
    void the_schema_iso_pattern_accepts_a_formatted_instant_iff_the_parser_does(Case<Formatted> c) {
        c.check(in -> {
            String text = in.toString();
            boolean inRange = inRange(in.instant());
            boolean schema = SCHEMA_ISO.matcher(text).matches();
            Instant parsed = accepted(() -> Timestamps.fromText(text));
            assertThat(schema).as("schema accepts '%s'", text).isEqualTo(inRange);
            assertThat(parsed != null).as("parser accepts '%s'", text).isEqualTo(inRange);
            if (parsed != null) {
                Instant sent = truncateToDigits(in.instant(), in.fractionDigits());
                assertThat(parsed).isEqualTo(sent.truncatedTo(ChronoUnit.MILLIS));
                assertThat(EventDay.utcDay(parsed)).isEqualTo(EventDay.utcDay(in.instant()));
            }
        });
    }

    @ParameterizedTest
    @MethodSource("isoFields")
    void iso_dates_the_schema_pattern_accepts_are_refused_by_the_parser_only_when_not_in_the_calendar(
            Case<IsoFields> c) {
        c.check(in -> {
            String text = isoText(in);
            boolean realDate = YearMonth.of(in.year(), in.month()).isValidDay(in.day());
            assertThat(SCHEMA_ISO.matcher(text).matches()).as("schema accepts '%s'", text).isTrue();
            Instant parsed = accepted(() -> Timestamps.fromText(text));
            assertThat(parsed != null).as("parser accepts '%s'", text).isEqualTo(realDate);
            if (parsed != null) {
                assertThat(parsed).isEqualTo(LocalDateTime.of(in.year(), in.month(), in.day(), 0, 0)
                        .plusSeconds(in.second()).toInstant(ZoneOffset.UTC));
            }
        });
    }

    /** Each property above would pass on one answer alone: the generators must reach both, often. */
    @Test
    void the_generated_cases_reach_both_answers_of_each_property() {
        assertThat(millis().map(Case::input).filter(m -> m >= FIRST_MS && m < END_MS).count())
                .isBetween(TRIES / 10L, TRIES * 9L / 10);
        assertThat(digitStrings().map(Case::input).filter(TimestampsPropertiesTest::digitStringInRange).count())
                .isBetween(TRIES / 10L, TRIES * 9L / 10);
        assertThat(formattedInstants().map(Case::input).filter(f -> inRange(f.instant())).count())
                .isBetween(TRIES / 10L, TRIES * 9L / 10);
        assertThat(isoFields().map(Case::input)
                .filter(f -> !YearMonth.of(f.year(), f.month()).isValidDay(f.day())).count())
                .isGreaterThan(TRIES / 20L);
    }

    private static boolean digitStringInRange(String digits) {
        return (digits.length() == 1 || digits.charAt(0) != '0')
                && new BigInteger(digits).compareTo(FIRST) >= 0 && new BigInteger(digits).compareTo(END) < 0;
    }

    /** Whether schema and parser accept the digit string, after checking they agree and the value survives. */
    private static boolean digitStringAccepted(String digits) {
        boolean schema = SCHEMA_DIGITS.matcher(digits).matches();
        Instant parsed = accepted(() -> Timestamps.fromText(digits));
        assertThat(parsed != null).as("parser accepts '%s' as the schema does", digits).isEqualTo(schema);
        if (parsed != null) {
            assertThat(BigInteger.valueOf(parsed.toEpochMilli())).isEqualTo(new BigInteger(digits));
        }
        return schema;
    }

    private static boolean inRange(Instant instant) {
        return !instant.isBefore(Timestamps.EARLIEST) && instant.isBefore(Timestamps.END);
    }

    private static String isoText(IsoFields in) {
        return String.format("%04d-%02d-%02dT%02d:%02d:%02dZ", in.year(), in.month(), in.day(), in.second() / 3600,
                in.second() / 60 % 60, in.second() % 60);
    }

    // ---- generators ----

    static Stream<Case<Long>> millis() {
        return cases("millis", TRIES, r -> switch (weighted(r, 2, 3, 2, 2, 1)) {
            case 0 -> TestingCases.anyLong(r);
            case 1 -> between(r, FIRST_MS, END_MS - 1);
            case 2 -> FIRST_MS + between(r, -1000, 1000);
            case 3 -> END_MS + between(r, -1000, 1000);
            default -> between(r, -2 * END_MS, 3 * END_MS);
        });
    }

    static Stream<Case<String>> digitStrings() {
        return cases("digitStrings", TRIES, r -> switch (weighted(r, 4, 1, 2, 3)) {
            case 0 -> number(r);
            case 1 -> "0".repeat(between(r, 1, 3)) + number(r);
            // Each digit free, lengths around 12 and 13 where the range lies.
            case 2 -> digits(r, between(r, 1, 20));
            default -> digits(r, between(r, 12, 13));
        });
    }

    private static String number(SplittableRandom r) {
        BigInteger value;
        do {
            value = switch (r.nextInt(4)) {
                case 0 -> FIRST.add(BigInteger.valueOf(between(r, -100_000, 100_000)));
                case 1 -> END.add(BigInteger.valueOf(between(r, -100_000, 100_000)));
                case 2 -> BigInteger.valueOf(between(r, 0, END_MS * 3));
                default -> r.nextInt(8) == 0 ? oneOf(r, BigInteger.ZERO, BigInteger.TEN.pow(25))
                        : new BigInteger(84, new java.util.Random(r.nextLong())).mod(BigInteger.TEN.pow(25).add(BigInteger.ONE));
            };
        } while (value.signum() < 0);
        return value.toString();
    }

    private static String digits(SplittableRandom r, int length) {
        return TestingCases.text(r, length, q -> between(q, '0', '9'));
    }

    static Stream<Case<Formatted>> formattedInstants() {
        long min = LocalDateTime.of(1000, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
        long max = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);
        long first = Timestamps.EARLIEST.getEpochSecond();
        long end = Timestamps.END.getEpochSecond();
        return cases("formattedInstants", TRIES, r -> {
            long seconds = switch (weighted(r, 1, 4, 2, 2)) {
                case 0 -> between(r, min, max);
                case 1 -> between(r, first - 10L * 365 * 86_400, end + 10L * 365 * 86_400);
                case 2 -> first + between(r, -3, 2);
                default -> end + between(r, -3, 2);
            };
            int nanos = r.nextBoolean() ? between(r, 0, 999_999_999) : oneOf(r, 0, 999_999_999, 1, 999_000_000, 999_999_000);
            return new Formatted(Instant.ofEpochSecond(seconds, nanos), between(r, 0, 9));
        });
    }

    static Stream<Case<IsoFields>> isoFields() {
        return cases("isoFields", TRIES, r -> new IsoFields(between(r, 2000, 2099), between(r, 1, 12),
                r.nextInt(3) == 0 ? between(r, 1, 31) : between(r, 28, 31), TestingCases.biasedBetween(r, 0, 86_399)));
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
