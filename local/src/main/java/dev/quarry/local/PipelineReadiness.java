package dev.quarry.local;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the write-ahead log is recovered and accepting; not ready while stopping or after a disk failure. */
@Readiness
@ApplicationScoped
public class PipelineReadiness implements HealthCheck {
    @Inject
    Pipeline pipeline;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("pipeline").status(pipeline.isReady()).build();
    }
}
