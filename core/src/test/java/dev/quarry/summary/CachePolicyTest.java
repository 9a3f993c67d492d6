package dev.quarry.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CachePolicyTest {
    private static final LocalDate TODAY = LocalDate.parse("2026-03-20");

    @Test
    void ranges_touching_yesterday_today_or_later_are_open() {
        assertThat(CachePolicy.cacheControl(TODAY, TODAY)).isEqualTo(CachePolicy.OPEN);
        assertThat(CachePolicy.cacheControl(TODAY.minusDays(1), TODAY)).isEqualTo(CachePolicy.OPEN);
        assertThat(CachePolicy.cacheControl(TODAY.plusDays(3), TODAY)).isEqualTo(CachePolicy.OPEN);
    }

    @Test
    void open_ranges_are_fresh_for_at_most_sixty_seconds_and_may_be_served_stale() {
        assertThat(CachePolicy.OPEN).contains("max-age=60").contains("stale-while-revalidate=")
                .contains("stale-if-error=").doesNotContain("s-maxage");
    }

    @Test
    void ranges_ending_before_yesterday_are_closed_for_at_least_five_minutes() {
        assertThat(CachePolicy.cacheControl(TODAY.minusDays(2), TODAY)).isEqualTo(CachePolicy.CLOSED);
        assertThat(CachePolicy.cacheControl(TODAY.minusDays(15), TODAY)).isEqualTo(CachePolicy.CLOSED);
        assertThat(CachePolicy.CLOSED).contains("max-age=300").contains("s-maxage=3600");
    }

    @Test
    void ranges_ending_before_the_recency_window_and_its_buffers_are_final() {
        // A record stamped on day D is filed under D until D + 15 days; one more day lets buffers drain.
        assertThat(CachePolicy.cacheControl(TODAY.minusDays(16), TODAY)).isEqualTo(CachePolicy.FINAL);
        assertThat(CachePolicy.cacheControl(LocalDate.parse("2020-01-01"), TODAY)).isEqualTo(CachePolicy.FINAL);
    }

    @Test
    void the_range_age_is_typed() {
        assertThat(CachePolicy.rangeAge(TODAY, TODAY)).isEqualTo(CachePolicy.RangeAge.OPEN);
        assertThat(CachePolicy.rangeAge(TODAY.minusDays(2), TODAY)).isEqualTo(CachePolicy.RangeAge.CLOSED);
        assertThat(CachePolicy.rangeAge(TODAY.minusDays(16), TODAY)).isEqualTo(CachePolicy.RangeAge.FINAL);
        assertThat(CachePolicy.RangeAge.FINAL.cacheControl()).isEqualTo(CachePolicy.FINAL);
    }

    @Test
    void without_retention_the_headers_depend_only_on_the_range_age() {
        CachePolicy policy = CachePolicy.keepingEverything();
        Instant noon = TODAY.atTime(12, 0).toInstant(ZoneOffset.UTC);

        assertThat(policy.cacheControl(LocalDate.parse("2001-01-01"), LocalDate.parse("2001-01-02"), noon))
                .isEqualTo(CachePolicy.FINAL);
        assertThat(policy.cacheControl(TODAY, TODAY, noon)).isEqualTo(CachePolicy.OPEN);
    }

    @Test
    void a_final_range_whose_oldest_day_will_be_deleted_is_not_immutable_and_cached_only_until_then() {
        CachePolicy policy = CachePolicy.withRetention(Optional.of(30));
        Instant noon = TODAY.atTime(12, 0).toInstant(ZoneOffset.UTC);
        LocalDate from = TODAY.minusDays(25);

        // The oldest day may go from the start of day from + 30, that is in 5 days less 12 hours.
        String header = policy.cacheControl(from, TODAY.minusDays(20), noon);

        long left = Duration.ofDays(5).minusHours(12).toSeconds();
        assertThat(header).isEqualTo("public, max-age=86400, s-maxage=" + left).doesNotContain("immutable");
        assertThat(policy.timeLeft(from, noon)).contains(Duration.ofSeconds(left));
    }

    @Test
    void a_closed_range_loses_its_stale_allowance_near_its_expiry_and_an_expired_one_is_not_fresh_at_all() {
        CachePolicy policy = CachePolicy.withRetention(Optional.of(3));
        Instant evening = TODAY.atTime(23, 30).toInstant(ZoneOffset.UTC);

        assertThat(policy.cacheControl(TODAY.minusDays(2), TODAY.minusDays(2), evening))
                .isEqualTo("public, max-age=300, s-maxage=1800");
        assertThat(policy.cacheControl(TODAY.minusDays(3), TODAY.minusDays(2), evening))
                .isEqualTo("public, max-age=0, s-maxage=0");
    }

    @Test
    void a_range_whose_oldest_day_outlives_its_caching_keeps_the_usual_headers() {
        CachePolicy policy = CachePolicy.withRetention(Optional.of(400));
        Instant noon = TODAY.atTime(12, 0).toInstant(ZoneOffset.UTC);

        assertThat(policy.cacheControl(TODAY.minusDays(9), TODAY.minusDays(3), noon)).isEqualTo(CachePolicy.CLOSED);
        assertThat(policy.cacheControl(TODAY.minusDays(6), TODAY, noon)).isEqualTo(CachePolicy.OPEN);
        // Kept 369.5 more days: longer than the year an immutable answer is cached.
        assertThat(policy.cacheControl(TODAY.minusDays(30), TODAY.minusDays(20), noon)).isEqualTo(CachePolicy.FINAL);
        assertThat(policy.cacheControl(TODAY.minusDays(40), TODAY.minusDays(20), noon))
                .isEqualTo("public, max-age=86400, s-maxage=" + Duration.ofDays(360).minusHours(12).toSeconds());
    }

    @Test
    void a_retention_keeps_at_least_one_day() {
        assertThatThrownBy(() -> CachePolicy.withRetention(Optional.of(0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_day_expires_at_the_start_of_the_day_retention_days_later() {
        assertThat(CachePolicy.expiry(LocalDate.parse("2026-03-01"), 30)).isEqualTo(Instant.parse("2026-03-31T00:00:00Z"));
    }
}
