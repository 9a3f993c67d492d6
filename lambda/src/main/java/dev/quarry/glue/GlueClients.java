package dev.quarry.glue;

import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.GlueClientBuilder;

/**
 * The one place a {@link GlueClient} is built. Region, credentials and endpoint come from the SDK's standard
 * resolution (environment, system properties, profile), so {@code AWS_ENDPOINT_URL} works; the HTTP client is
 * the URL-connection one, the only one packaged (it starts faster than Apache's or Netty's and needs no pool for
 * one call at a time); retries are the SDK's standard mode, which backs off on throttling.
 */
public final class GlueClients {
    private GlueClients() {
    }

    public static GlueClient create() {
        return builder().build();
    }

    /** A builder with Quarry's HTTP client and retries, for callers (tests) that must set more. */
    public static GlueClientBuilder builder() {
        return GlueClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(configuration -> configuration.retryStrategy(RetryMode.STANDARD));
    }
}
