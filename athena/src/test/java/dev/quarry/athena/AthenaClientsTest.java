package dev.quarry.athena;

import static dev.quarry.athena.TestingAthenaReplies.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.summary.CannedQuery;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.athena.AthenaClient;

class AthenaClientsTest {
    private static final String ID = "0d5e8c1a-7b3f-4e2d-8c9a-1f6b3e5d7a90";

    @Test
    void the_standard_client_takes_endpoint_region_and_credentials_from_the_sdks_resolution() throws Exception {
        // The system-property twins of AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
        Map<String, String> properties = Map.of("aws.region", "eu-west-1", "aws.accessKeyId", "AKIDFROMPROPERTIES",
                "aws.secretAccessKey", "secret-from-properties");
        try (TestingAthenaServer athena = new TestingAthenaServer()) {
            Map<String, String> saved = new HashMap<>();
            for (String name : List.of("aws.endpointUrl", "aws.region", "aws.accessKeyId", "aws.secretAccessKey")) {
                saved.put(name, System.getProperty(name));
            }
            System.setProperty("aws.endpointUrl", athena.endpoint().toString());
            properties.forEach(System::setProperty);
            try (AthenaClient client = AthenaClients.create()) {
                athena.reply("StartQueryExecution", sample("start-query-execution", ID))
                        .reply("GetQueryExecution", sample("get-query-execution-succeeded", ID))
                        .reply("GetQueryResults", sample("get-query-results-volume-by-day", ID));

                List<List<Object>> rows = new AthenaQueryEngine(client, AthenaConfig.defaults())
                        .run(AthenaQueryEngineTest.bind(CannedQuery.VOLUME_BY_DAY, "from", "2026-11-20", "to",
                                "2026-11-26"));

                assertThat(rows).containsExactly(List.of("2026-11-26", 31L));
                assertThat(athena.requests().get(0).authorization())
                        .contains("Credential=AKIDFROMPROPERTIES/").contains("/eu-west-1/athena/aws4_request");
            } finally {
                saved.forEach((name, value) -> {
                    if (value == null) {
                        System.clearProperty(name);
                    } else {
                        System.setProperty(name, value);
                    }
                });
            }
        }
    }
}
