package dev.quarry.athena;

import dev.quarry.aws.TestingJson11Server;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;

/**
 * Published in this module's test-jar for the Lambda tests.
 *
 * <p>A loopback Athena endpoint ({@code X-Amz-Target: AmazonAthena.<Action>}, see {@link TestingJson11Server}).
 * Athena tests script a conversation step by step (start, running, succeeded, results), so {@link #reply} queues
 * one-shot answers; an action with none left is answered with an {@code InvalidRequestException}.
 */
public final class TestingAthenaServer extends TestingJson11Server {
    public TestingAthenaServer() {
        super("AmazonAthena.", "InvalidRequestException");
    }

    /** A client of this server, built as production builds one, with test credentials. */
    public AthenaClient client() {
        return AthenaClients.create(endpoint(), AwsBasicCredentials.create("AKIDTESTING", "testing-secret"),
                Region.EU_CENTRAL_1);
    }

    public TestingAthenaServer reply(String action, String json) {
        return reply(action, 200, json);
    }

    public TestingAthenaServer reply(String action, int status, String json) {
        answerOnce(action, status, json);
        return this;
    }

    /** An AWS JSON error: {@code {"__type": type, "Message": message}} with status 400. */
    public TestingAthenaServer error(String action, String type, String message) {
        return reply(action, 400, error(type, message));
    }
}
