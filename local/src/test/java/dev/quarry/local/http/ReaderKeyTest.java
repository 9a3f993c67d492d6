package dev.quarry.local.http;

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
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code QUARRY_READ_KEY} on {@code /summary/*}, and the dashboard's files at their exact paths. */
@QuarkusTest
@TestProfile(ReaderKeyTest.Profile.class)
class ReaderKeyTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String KEY = "reader-key-7f3a";

    public static final class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                return Map.of("quarry.data-dir", Files.createTempDirectory("quarry-reader-key").toString(),
                        "quarry.read-key", KEY);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @TestHTTPResource("/")
    URL root;

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root.toString()).resolve(path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_summary_without_the_key_is_401_problem_json() throws Exception {
        for (String authorization : new String[] {null, "Bearer", "Bearer wrong", "Basic " + KEY,
                "Bearer " + KEY + "x", "Bearer " + KEY.substring(1)}) {
            HttpResponse<String> response = get("summary/volume-by-day", authorization);
            assertThat(response.statusCode()).as(String.valueOf(authorization)).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    value -> assertThat(value).startsWith("Bearer"));
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(response.body()).contains("\"status\":401").contains("\"title\":\"Unauthorized\"")
                    .doesNotContain(KEY);
        }
        assertThat(get("summary", null).statusCode()).isEqualTo(401);
    }

    @Test
    void with_the_key_the_answer_is_private_and_varies_by_authorization() throws Exception {
        HttpResponse<String> response = get("summary/volume-by-day", "Bearer " + KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValueSatisfying(value -> assertThat(value)
                .startsWith("private").doesNotContain("public"));
        // Else a browser would answer a later request without the key from its own cache.
        assertThat(response.headers().allValues("Vary")).containsExactly("Authorization");
        assertThat(get("summary/volume-by-day", "bearer " + KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void the_dashboard_needs_no_key_and_lives_at_exact_paths_only() throws Exception {
        HttpResponse<String> page = get("", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                value -> assertThat(value).startsWith("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(page.body()).contains("<script type=\"module\" src=\"dashboard.js\">");
        for (String path : DashboardRoute.FILES.keySet()) {
            assertThat(get(path.substring(1), null).statusCode()).as(path).isEqualTo(200);
        }
        for (String path : new String[] {"index.htm", "dashboard.js/", "vendor/", "vendor/uPlot.esm.js",
                "dashboard/index.html", "vendor/../index.html.bak", "application.properties"}) {
            assertThat(get(path, null).statusCode()).as(path).isEqualTo(404);
        }
    }
}
