package dev.quarry.local;

import dev.quarry.local.http.HttpEdges;
import dev.quarry.local.ingest.Pipeline;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the data directory is recovered and the pipeline accepts records; not ready while starting, while
 * draining on SIGTERM, or while writes to the write-ahead log fail (a full or read-only disk).
 */
@Readiness
@ApplicationScoped
public class PipelineReadiness implements HealthCheck {
    @Inject
    Pipeline pipeline;

    @Inject
    HttpEdges edges;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("pipeline").status(pipeline.isReady() && !edges.isDraining()).build();
    }
}
