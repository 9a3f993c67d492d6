package dev.quarry.summary;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shared table of requests, answered by the core function itself (the adapters' tests run the same table). */
class SummaryRequestCasesTest {

    static List<TestingRequestCases.Case> cases() {
        return TestingRequestCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void the_core_answers_each_request_as_the_table_says(TestingRequestCases.Case c) throws Exception {
        SummaryResponse response = TestingRequestCases.expected(c);

        TestingRequestCases.assertAnswer(c, response.status(), response.headers(),
                response.body().length == 0 ? null : response.bodyText());
    }
}
