package dev.quarry.lambda;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The partition function's answer (seen only in tests and the Lambda console: S3 discards it).
 *
 * @param partitions the locations registered, already present ones included
 * @param ignored how many records announced no partition
 */
@RegisterForReflection
public record PartitionResult(List<String> partitions, int ignored) {
}
