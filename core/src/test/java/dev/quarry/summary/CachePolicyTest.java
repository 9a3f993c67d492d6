package dev.quarry.summary;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class CachePolicyTest {
    private static final LocalDate TODAY = LocalDate.parse("2026-03-20");

    @Test
    void rangesTouchingYesterdayTodayOrLaterAreOpen() {
        assertThat(CachePolicy.cacheControl(TODAY, TODAY)).isEqualTo(CachePolicy.OPEN);
        assertThat(CachePolicy.cacheControl(TODAY.minusDays(1), TODAY)).isEqualTo(CachePolicy.OPEN);
        assertThat(CachePolicy.cacheControl(TODAY.plusDays(3), TODAY)).isEqualTo(CachePolicy.OPEN);
    }

    @Test
    void openRangesAreFreshForAtMostSixtySecondsAndMayBeServedStale() {
        assertThat(CachePolicy.OPEN).contains("max-age=60").contains("stale-while-revalidate=")
                .contains("stale-if-error=").doesNotContain("s-maxage");
    }

    @Test
    void rangesEndingBeforeYesterdayAreClosedForAtLeastFiveMinutes() {
        assertThat(CachePolicy.cacheControl(TODAY.minusDays(2), TODAY)).isEqualTo(CachePolicy.CLOSED);
        assertThat(CachePolicy.cacheControl(TODAY.minusDays(15), TODAY)).isEqualTo(CachePolicy.CLOSED);
        assertThat(CachePolicy.CLOSED).contains("max-age=300").contains("s-maxage=3600");
    }

    @Test
    void rangesEndingBeforeTheRecencyWindowAndItsBuffersAreFinal() {
        // A record stamped on day D is filed under D until D + 15 days; one more day lets buffers drain.
        assertThat(CachePolicy.cacheControl(TODAY.minusDays(16), TODAY)).isEqualTo(CachePolicy.FINAL);
        assertThat(CachePolicy.cacheControl(LocalDate.parse("2020-01-01"), TODAY)).isEqualTo(CachePolicy.FINAL);
    }
}
