package dev.quarry.lambda;

import dev.quarry.catalog.Partition;
import dev.quarry.catalog.PartitionCatalog;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The partition catalog as a set in memory; in tests it replaces the Glue adapter, and can be told to fail. */
@Alternative
@Priority(1)
@Singleton
public class InMemoryPartitionCatalog implements PartitionCatalog {
    private final Set<Partition> partitions = new LinkedHashSet<>();
    private final List<List<Partition>> calls = new ArrayList<>();
    private RuntimeException failure;

    @Override
    public synchronized void register(Collection<Partition> added) {
        calls.add(List.copyOf(added));
        if (failure != null) {
            throw failure;
        }
        partitions.addAll(added);
    }

    public synchronized Set<Partition> partitions() {
        return Set.copyOf(partitions);
    }

    public synchronized List<List<Partition>> calls() {
        return List.copyOf(calls);
    }

    public synchronized void failWith(RuntimeException failure) {
        this.failure = failure;
    }

    public synchronized void reset() {
        partitions.clear();
        calls.clear();
        failure = null;
    }
}
