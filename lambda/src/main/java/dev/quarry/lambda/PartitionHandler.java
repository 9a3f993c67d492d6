package dev.quarry.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import dev.quarry.catalog.Partition;
import dev.quarry.catalog.PartitionCatalog;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * {@code QUARKUS_LAMBDA_HANDLER=partition}: S3 {@code ObjectCreated} notifications of {@code logs/dt=YYYY-MM-DD/}
 * objects become registered partitions. Anything else is ignored with one log line. A failure of the catalog fails
 * the invocation, so Lambda retries it.
 */
@Named("partition")
public class PartitionHandler implements RequestHandler<S3Event, PartitionResult> {
    private static final Logger LOG = Logger.getLogger(PartitionHandler.class);

    /** The MDC key Quarkus's own poll loop uses; set here too, as the java21 runtime does not go through it. */
    static final String REQUEST_ID = "AWSRequestId";

    private final PartitionCatalog catalog;

    @Inject
    public PartitionHandler(PartitionCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public PartitionResult handleRequest(S3Event event, Context context) {
        if (context != null && context.getAwsRequestId() != null) {
            MDC.put(REQUEST_ID, context.getAwsRequestId());
        }
        try {
            S3EventToPartitions.Found found = S3EventToPartitions.found(event);
            for (S3EventToPartitions.Ignored ignored : found.ignored()) {
                LOG.infof("Ignored %s of s3://%s/%s: %s", ignored.eventName(), ignored.bucket(), ignored.key(),
                        ignored.reason());
            }
            found.byBucket().values().forEach(catalog::register);
            List<String> locations = found.partitions().stream().map(Partition::location).toList();
            if (!locations.isEmpty()) {
                MDC.put("partitions", found.partitions().stream().map(p -> p.day().toString())
                        .collect(Collectors.joining(",")));
                LOG.infof("Registered partitions %s", locations);
                MDC.remove("partitions");
            }
            return new PartitionResult(locations, found.ignored().size());
        } finally {
            MDC.remove(REQUEST_ID);
        }
    }
}
