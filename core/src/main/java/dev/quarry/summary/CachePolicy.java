package dev.quarry.summary;

import dev.quarry.record.EventDay;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The {@code Cache-Control} of a summary, by how far its range lies in the past (UTC days) and, when old days are
 * deleted, by how long its oldest day is still kept.
 * <ul>
 * <li>A range touching yesterday or today (or later) still grows: fresh for at most 60 s, then served stale while
 * a cache revalidates, or while the origin fails.</li>
 * <li>A range that ends before yesterday is closed: fresh for 5 minutes in browsers, an hour in CloudFront. Late
 * records may still join it within the recency window, so it is not cached for ever.</li>
 * <li>A range that ended before the recency window ({@link EventDay#MAX_AGE}, plus a day for buffering) can no
 * longer change: records that old are filed under the day they are received.</li>
 * </ul>
 * With a retention of N days, no answer is cached beyond the moment its oldest day may be deleted (see
 * {@link #expiry}): then the lifetimes above are capped, and {@code immutable} and the {@code stale-*} allowances are
 * dropped, since serving stale would serve deleted records.
 */
public final class CachePolicy {
    public static final String NO_STORE = "no-store";
    /** How long a search of a range that still grows may be reused: the contract allows at most ten seconds. */
    public static final long SEARCH_OPEN_SECONDS = 10;
    public static final String SEARCH_OPEN = "public, max-age=" + SEARCH_OPEN_SECONDS;
    public static final String OPEN = RangeAge.OPEN.cacheControl();
    public static final String CLOSED = RangeAge.CLOSED.cacheControl();
    public static final String FINAL = RangeAge.FINAL.cacheControl();
    /** Days after which no record can join a day: the recency window, and one day for buffers to drain. */
    static final long FINAL_AFTER_DAYS = EventDay.MAX_AGE.toDays() + 2;

    /**
     * How far a range lies in the past, which decides how long its answer may be reused. Each lifetime is written
     * here once, in seconds; the {@code Cache-Control} header and the Athena side's result reuse are made from them.
     */
    public enum RangeAge {
        /** Touches yesterday, today or later: still grows. */
        OPEN(60, 60, 60, 600, false),
        /** Ends before yesterday: only late records may still join it. */
        CLOSED(300, 3600, 0, 86400, false),
        /** Ended before the recency window: can no longer change. */
        FINAL(86400, 31_536_000, 0, 0, true);

        private final String cacheControl;
        private final long maxAge;
        private final Duration fresh;
        /** Fresh and then stale (stale-while-revalidate, stale-if-error): the longest a cache may answer with it. */
        private final Duration longest;

        /**
         * @param sharedMaxAgeSeconds {@code s-maxage}; written only when it differs from {@code max-age}
         * @param staleWhileRevalidateSeconds 0 for none
         * @param staleIfErrorSeconds 0 for none
         */
        RangeAge(long maxAgeSeconds, long sharedMaxAgeSeconds, long staleWhileRevalidateSeconds,
                long staleIfErrorSeconds, boolean immutable) {
            StringBuilder header = new StringBuilder("public, max-age=").append(maxAgeSeconds);
            if (sharedMaxAgeSeconds != maxAgeSeconds) {
                header.append(", s-maxage=").append(sharedMaxAgeSeconds);
            }
            if (staleWhileRevalidateSeconds > 0) {
                header.append(", stale-while-revalidate=").append(staleWhileRevalidateSeconds);
            }
            if (staleIfErrorSeconds > 0) {
                header.append(", stale-if-error=").append(staleIfErrorSeconds);
            }
            if (immutable) {
                header.append(", immutable");
            }
            this.cacheControl = header.toString();
            this.maxAge = maxAgeSeconds;
            this.fresh = Duration.ofSeconds(sharedMaxAgeSeconds);
            this.longest = Duration.ofSeconds(sharedMaxAgeSeconds
                    + Math.max(staleWhileRevalidateSeconds, staleIfErrorSeconds));
        }

        /** The header without retention. */
        public String cacheControl() {
            return cacheControl;
        }

        /** How long a shared cache keeps the answer fresh ({@code s-maxage}, else {@code max-age}). */
        public Duration fresh() {
            return fresh;
        }
    }

    private final Optional<Integer> retentionDays;

    private CachePolicy(Optional<Integer> retentionDays) {
        this.retentionDays = retentionDays;
    }

    /** Days are kept for ever. */
    public static CachePolicy keepingEverything() {
        return new CachePolicy(Optional.empty());
    }

    /**
     * @param retentionDays how many days are kept ({@code QUARRY_RETENTION_DAYS}); empty keeps every day
     */
    public static CachePolicy withRetention(Optional<Integer> retentionDays) {
        retentionDays.ifPresent(days -> {
            if (days < 1) {
                throw new IllegalArgumentException("Cannot cap caching by a retention of " + days
                        + " days, because a retention keeps at least one day");
            }
        });
        return new CachePolicy(retentionDays);
    }

    public static RangeAge rangeAge(LocalDate to, LocalDate today) {
        if (!to.isBefore(today.minusDays(1))) {
            return RangeAge.OPEN;
        }
        if (to.isBefore(today.minusDays(FINAL_AFTER_DAYS - 1))) {
            return RangeAge.FINAL;
        }
        return RangeAge.CLOSED;
    }

    /** Without retention. */
    public static String cacheControl(LocalDate to, LocalDate today) {
        return rangeAge(to, today).cacheControl();
    }

    /**
     * The earliest moment a record filed under {@code day} may be deleted with a retention of N days: the start of
     * day + N (UTC). Locally a day older than N days goes at the first retention run after day + N + 1 begins; on AWS
     * S3 expires an object at the midnight (UTC) after N days from its creation, and an object filed under a day may
     * be written up to 2 hours before that day begins (the recency window lets timestamps lead by 2 hours), so day + N
     * is the earlier of the two.
     */
    public static Instant expiry(LocalDate day, int retentionDays) {
        return day.plusDays(retentionDays).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The {@code Cache-Control} of an answer over [from, to], computed at {@code now}. */
    public String cacheControl(LocalDate from, LocalDate to, Instant now) {
        RangeAge age = rangeAge(to, LocalDate.ofInstant(now, ZoneOffset.UTC));
        Optional<Duration> left = timeLeft(from, now);
        if (left.isEmpty() || left.get().compareTo(age.longest) >= 0) {
            return age.cacheControl;
        }
        long seconds = Math.max(0, left.get().getSeconds());
        long browser = Math.min(seconds, age.maxAge);
        long shared = Math.min(seconds, age.fresh.getSeconds());
        return "public, max-age=" + browser + ", s-maxage=" + shared;
    }

    /**
     * The {@code Cache-Control} of a search over the days [from, to]: a closed range as a closed summary, an open one
     * {@value #SEARCH_OPEN} (capped by the retention as a summary is).
     */
    public String searchCacheControl(LocalDate from, LocalDate to, Instant now) {
        if (rangeAge(to, LocalDate.ofInstant(now, ZoneOffset.UTC)) != RangeAge.OPEN) {
            return cacheControl(from, to, now);
        }
        Optional<Duration> left = timeLeft(from, now);
        if (left.isEmpty() || left.get().getSeconds() >= SEARCH_OPEN_SECONDS) {
            return SEARCH_OPEN;
        }
        long seconds = Math.max(0, left.get().getSeconds());
        return "public, max-age=" + seconds + ", s-maxage=" + seconds;
    }

    /** How long the range's oldest day is still kept, or empty when days are kept for ever. */
    public Optional<Duration> timeLeft(LocalDate from, Instant now) {
        return retentionDays.map(days -> Duration.between(now, expiry(from, days)));
    }
}
