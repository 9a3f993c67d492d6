package dev.quarry.record;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * The record contract's timestamp forms: epoch milliseconds (an integer, or a string of digits as clients
 * of the original pattern send), or ISO-8601 UTC ({@code 2026-11-26T10:15:30.123Z}); always within
 * [{@link #EARLIEST}, {@link #END}), and epoch milliseconds from {@link #EARLIEST_EPOCH_MILLIS} on.
 */
public final class Timestamps {
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    public static final Instant END = Instant.parse("2100-01-01T00:00:00Z");
    /**
     * 1000000000000 (2001-09-09T01:46:40Z), the first 13-digit number: Firehose's OpenX JSON SerDe reads a number
     * as epoch milliseconds only from 13 digits, and takes shorter ones as seconds (a year near 31,000) or fails
     * the conversion (issue 15, finding 6), so epoch milliseconds start here in both forms. ISO-8601 keeps
     * {@link #EARLIEST}: the SerDe parses it as a date, whatever the year.
     */
    public static final long EARLIEST_EPOCH_MILLIS = 1_000_000_000_000L;

    /** {@code \z}, not {@code $}: a trailing newline must not pass. */
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}\\z");
    /**
     * Hours 00-23, minutes and seconds 00-59, as the schema states: {@link Instant#parse} alone would also take
     * {@code 24:00:00} (as the next midnight) and the leap second {@code 23:59:60}, which the schema refuses.
     */
    private static final Pattern ISO_UTC = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?Z\\z");

    public static final String RULE = "must be epoch milliseconds (an integer or a string of digits) or ISO-8601 UTC"
            + " (2026-11-26T10:15:30.123Z), within [2000-01-01T00:00:00Z, 2100-01-01T00:00:00Z); epoch milliseconds"
            + " have 13 digits, from 1000000000000 (2001-09-09T01:46:40Z)";

    private Timestamps() {
    }

    /** Thrown with a sentence saying why a timestamp was refused. */
    public static final class InvalidTimestampException extends Exception {
        InvalidTimestampException(String message) {
            super(message, null, false, false);
        }
    }

    public static Instant fromEpochMillis(long millis) throws InvalidTimestampException {
        if (millis < EARLIEST_EPOCH_MILLIS || millis >= END.toEpochMilli()) {
            throw new InvalidTimestampException(millis + " is outside [2001-09-09T01:46:40Z, 2100-01-01T00:00:00Z)"
                    + " in epoch milliseconds [1000000000000, 4102444800000); " + RULE);
        }
        return Instant.ofEpochMilli(millis);
    }

    /** A timestamp sent as a JSON string: digits (epoch milliseconds, no sign, no leading zero) or ISO-8601 UTC. */
    public static Instant fromText(String text) throws InvalidTimestampException {
        if (DIGITS.matcher(text).matches()) {
            if (text.length() > 1 && text.charAt(0) == '0') {
                throw new InvalidTimestampException("'" + text + "' has a leading zero; " + RULE);
            }
            if (text.length() > 13) {
                throw new InvalidTimestampException("'" + text + "' is too large; " + RULE);
            }
            return fromEpochMillis(Long.parseLong(text));
        }
        if (ISO_UTC.matcher(text).matches()) {
            Instant instant;
            try {
                instant = Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new InvalidTimestampException("'" + text + "' is not a real date and time; " + RULE);
            }
            if (instant.isBefore(EARLIEST) || !instant.isBefore(END)) {
                throw new InvalidTimestampException("'" + text + "' is outside [2000-01-01T00:00:00Z,"
                        + " 2100-01-01T00:00:00Z); " + RULE);
            }
            return floorToMillis(instant);
        }
        throw new InvalidTimestampException("'" + abbreviate(text) + "' is not a timestamp; " + RULE);
    }

    /**
     * One precision on both paths: whole milliseconds, floored. Glue's {@code timestamp} and Athena read
     * milliseconds, and Trino rounds finer digits: {@code 23:59:59.9999Z} would become the next day while the
     * record stays in the {@code dt} of the day before (issue 19). Every timestamp is floored here, before its
     * {@code dt} is chosen. (Instants before 1970 never pass the contract, so truncation is the floor.)
     */
    public static Instant floorToMillis(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
