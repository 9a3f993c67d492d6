package dev.quarry.athena;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.AthenaClientBuilder;

/** The one place an {@link AthenaClient} is built. */
public final class AthenaClients {
    /** Connecting to a regional endpoint takes milliseconds; a stuck connection must not eat a Lambda's budget. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    /** Every Athena call used here answers at once (the query runs in the background; results are small pages). */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);

    private AthenaClients() {
    }

    /**
     * A client whose region, credentials and endpoint come from the SDK's standard resolution (environment, system
     * properties, profile, container or instance role), so {@code AWS_ENDPOINT_URL} works.
     */
    public static AthenaClient create() {
        return builder().build();
    }

    /** A client for the given endpoint, credentials and region (tests: a loopback server speaking Athena's protocol). */
    public static AthenaClient create(URI endpoint, AwsCredentials credentials, Region region) {
        return builder().endpointOverride(endpoint).credentialsProvider(StaticCredentialsProvider.create(credentials))
                .region(region).build();
    }

    private static AthenaClientBuilder builder() {
        return AthenaClient.builder()
                // The JDK's URL connection: no extra HTTP library in the Lambda artifact, and the fastest cold start.
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(CONNECTION_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT))
                // Throttling (TooManyRequestsException, ThrottlingException) is retried here, with backoff and a
                // token bucket, and nowhere else.
                .overrideConfiguration(override -> override.retryStrategy(RetryMode.STANDARD));
    }
}
