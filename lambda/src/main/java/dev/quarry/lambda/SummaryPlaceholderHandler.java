package dev.quarry.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import jakarta.inject.Named;
import java.util.Map;

/**
 * {@code QUARKUS_LAMBDA_HANDLER=summary}, until the summary function's issue replaces this class. It exists now
 * because the Quarkus extension reads {@code quarkus.lambda.handler} at run time only when the artifact has more than
 * one handler; with a single one, the handler is fixed at build time and the variable is silently ignored.
 */
@Named("summary")
public class SummaryPlaceholderHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        throw new UnsupportedOperationException("The summary function is not implemented in this build "
                + "(QUARKUS_LAMBDA_HANDLER=summary); deploy a build that includes it");
    }
}
