package dev.quarry.summary;

import dev.quarry.record.EventDay;
import java.time.LocalDate;

/**
 * The {@code Cache-Control} of a summary, by how far its range lies in the past (UTC days).
 * <ul>
 * <li>A range touching yesterday or today (or later) still grows: fresh for at most 60 s, then served stale while
 * a cache revalidates, or while the origin fails.</li>
 * <li>A range that ends before yesterday is closed: fresh for 5 minutes in browsers, an hour in CloudFront. Late
 * records may still join it within the recency window, so it is not cached for ever.</li>
 * <li>A range that ended before the recency window ({@link EventDay#MAX_AGE}, plus a day for buffering) can no
 * longer change: records that old are filed under the day they are received.</li>
 * </ul>
 */
public final class CachePolicy {
    public static final String NO_STORE = "no-store";
    public static final String OPEN = "public, max-age=60, stale-while-revalidate=60, stale-if-error=600";
    public static final String CLOSED = "public, max-age=300, s-maxage=3600, stale-if-error=86400";
    public static final String FINAL = "public, max-age=86400, s-maxage=31536000, immutable";
    /** Days after which no record can join a day: the recency window, and one day for buffers to drain. */
    static final long FINAL_AFTER_DAYS = EventDay.MAX_AGE.toDays() + 2;

    private CachePolicy() {
    }

    public static String cacheControl(LocalDate to, LocalDate today) {
        if (!to.isBefore(today.minusDays(1))) {
            return OPEN;
        }
        if (to.isBefore(today.minusDays(FINAL_AFTER_DAYS - 1))) {
            return FINAL;
        }
        return CLOSED;
    }
}
