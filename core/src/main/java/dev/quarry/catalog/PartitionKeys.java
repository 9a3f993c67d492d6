package dev.quarry.catalog;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;

/**
 * The one place that writes and reads the day partition of the storage contract: its value ({@code 2026-11-26}),
 * its directory ({@code dt=2026-11-26}) and the object keys under it ({@code logs/dt=YYYY-MM-DD/<name>}), for S3,
 * Glue, the local data directory and the SQL that DuckDB runs.
 *
 * <p>Any non-empty object name under a real day directory counts, not only {@code *.parquet}: Firehose names its
 * objects without a suffix unless told otherwise, and a partition is a directory, whatever its files are called.
 * Everything else has no day: the error prefix ({@code errors/...}), other prefixes, a directory marker
 * ({@code logs/dt=2026-11-26/}), an impossible date ({@code dt=2026-02-30}) or a date not written as
 * {@code YYYY-MM-DD}.
 */
public final class PartitionKeys {
    /** The prefix under which the table's day directories live. */
    public static final String LOGS_PREFIX = "logs/";

    /** A day directory's name up to its date. */
    public static final String DIRECTORY_PREFIX = StorageSchema.PARTITION_KEY.name() + "=";
    /** How a day's objects are keyed, for messages. */
    public static final String KEY_PATTERN = LOGS_PREFIX + DIRECTORY_PREFIX + "YYYY-MM-DD/";

    private static final String DAY_PREFIX = LOGS_PREFIX + DIRECTORY_PREFIX;
    private static final int DATE_LENGTH = "YYYY-MM-DD".length();
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);

    private PartitionKeys() {
    }

    /**
     * @param key an object key as stored (already URL-decoded, as S3 notifications are not)
     * @return the day of the partition the object belongs to, or empty if it belongs to none
     */
    public static Optional<LocalDate> dayOf(String key) {
        if (key == null || !key.startsWith(DAY_PREFIX)) {
            return Optional.empty();
        }
        int slash = DAY_PREFIX.length() + DATE_LENGTH;
        if (key.length() <= slash + 1 || key.charAt(slash) != '/' || key.endsWith("/")) {
            return Optional.empty();
        }
        return dayOfValue(key.substring(DAY_PREFIX.length(), slash));
    }

    /** The key prefix of a day's directory: {@code logs/dt=2026-11-26/}. */
    public static String directoryOf(LocalDate day) {
        return LOGS_PREFIX + directoryName(day) + "/";
    }

    /** The directory name of a day under {@code logs/}: {@code dt=2026-11-26}. */
    public static String directoryName(LocalDate day) {
        return DIRECTORY_PREFIX + value(day);
    }

    /**
     * @param name a file name in {@code logs/}
     * @return the day of a directory named exactly {@code dt=YYYY-MM-DD} (a real date), or empty for any other name
     */
    public static Optional<LocalDate> dayOfDirectory(String name) {
        if (name == null || !name.startsWith(DIRECTORY_PREFIX)) {
            return Optional.empty();
        }
        return dayOfValue(name.substring(DIRECTORY_PREFIX.length()));
    }

    /** The {@code dt} value of a day: {@code 2026-11-26}, as Firehose's partitioning expression writes it. */
    public static String value(LocalDate day) {
        if (day.getYear() < 1 || day.getYear() > 9999) {
            throw new IllegalArgumentException("Cannot write " + day + " as a dt value, because its year is not"
                    + " between 1 and 9999");
        }
        return DATE.format(day);
    }

    /**
     * @param value a {@code dt} value
     * @return its day when it is exactly {@code YYYY-MM-DD} (ASCII digits, a real date), else empty
     */
    public static Optional<LocalDate> dayOfValue(String value) {
        if (value == null || value.length() != DATE_LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < DATE_LENGTH; i++) {
            char c = value.charAt(i);
            boolean expected = (i == 4 || i == 7) ? c == '-' : c >= '0' && c <= '9';
            if (!expected) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(LocalDate.parse(value, DATE));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@link #dayOfValue}, for values this program wrote itself: one that is not a day is a broken file. */
    public static LocalDate parseValue(String value) {
        return dayOfValue(value).orElseThrow(() -> new IllegalArgumentException(
                "Cannot read \"" + value + "\" as a dt value, because it is not a date written as YYYY-MM-DD"));
    }
}
