package dev.quarry.catalog;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;

/**
 * Which day partition an object key of the storage contract belongs to: {@code logs/dt=YYYY-MM-DD/<name>}.
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

    private static final String DAY_PREFIX = LOGS_PREFIX + "dt=";
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
        String date = key.substring(DAY_PREFIX.length(), slash);
        for (int i = 0; i < DATE_LENGTH; i++) {
            char c = date.charAt(i);
            boolean expected = (i == 4 || i == 7) ? c == '-' : c >= '0' && c <= '9';
            if (!expected) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(LocalDate.parse(date, DATE));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The key prefix of a day's directory: {@code logs/dt=2026-11-26/}. */
    public static String directoryOf(LocalDate day) {
        return LOGS_PREFIX + Partition.directoryName(day) + "/";
    }
}
