package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code QUARRY_RETENTION_DAYS}, no summary is cached beyond the moment its oldest day may be deleted. */
@QuarkusTest
@TestProfile(SummaryRetentionTest.Profile.class)
class SummaryRetentionTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static final class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                return Map.of("quarry.data-dir", Files.createTempDirectory("quarry-summary-retention").toString(),
                        "quarry.retention-days", "3");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void a_range_whose_oldest_day_is_due_for_deletion_is_not_cached_as_final() throws Exception {
        // Kept 3 days: 2020-01-01 went long ago, so the answer may not be cached at all, let alone be immutable.
        assertThat(cacheControl("/summary/volume-by-day?from=2020-01-01&to=2020-01-02"))
                .isEqualTo("public, max-age=0, s-maxage=0");
    }

    @Test
    void a_closed_range_is_cached_at_most_until_its_oldest_day_may_go() throws Exception {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2);

        // The oldest day may go at the next midnight (UTC): fresh at most that long, and never served stale.
        assertThat(cacheControl("/summary/volume-by-day?from=" + day + "&to=" + day))
                .matches("public, max-age=\\d+, s-maxage=\\d+").doesNotContain("stale").doesNotContain("immutable");
    }

    @Test
    void a_range_kept_longer_than_its_caching_keeps_the_usual_header() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        assertThat(cacheControl("/summary/volume-by-day?from=" + today + "&to=" + today))
                .isEqualTo("public, max-age=60, stale-while-revalidate=60, stale-if-error=600");
    }

    private String cacheControl(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base.toString()
                .replaceAll("/$", "") + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("Cache-Control").orElseThrow();
    }
}
