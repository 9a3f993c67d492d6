package dev.quarry.glue;

import dev.quarry.catalog.Partition;
import dev.quarry.catalog.PartitionCatalog;
import dev.quarry.catalog.PartitionKeys;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.BatchCreatePartitionResponse;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.PartitionError;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.Table;

/**
 * The partition catalog on AWS: the Glue Data Catalog table that Spark, Redshift Spectrum and Glue jobs read
 * (Athena uses partition projection and ignores it).
 *
 * <p>The table is read once (its storage descriptor is every partition's template); each {@link #register} call is
 * one {@code BatchCreatePartition} per 100 days, Glue's limit per call. A partition that already exists is success,
 * which makes redelivered notifications harmless. Throttling is retried by the SDK; every other failure is thrown,
 * so that Lambda retries the invocation.
 */
public final class GluePartitionCatalog implements PartitionCatalog {
    /** Glue's limit: "PartitionInputList ... Maximum number of 100 items". */
    static final int MAX_PARTITIONS_PER_CALL = 100;

    private final GlueClient glue;
    private final String database;
    private final String table;
    private volatile StorageDescriptor tableDescriptor;

    public GluePartitionCatalog(GlueClient glue, String database, String table) {
        this.glue = glue;
        this.database = database;
        this.table = table;
    }

    /** The catalog of the table {@code database.table}, through a client of the standard configuration. */
    public static GluePartitionCatalog create(String database, String table) {
        return new GluePartitionCatalog(GlueClients.create(), database, table);
    }

    @Override
    public void register(Collection<Partition> partitions) {
        Map<LocalDate, Partition> byDay = new TreeMap<>();
        for (Partition partition : partitions) {
            Partition earlier = byDay.putIfAbsent(partition.day(), partition);
            if (earlier != null && !earlier.equals(partition)) {
                throw new IllegalArgumentException("Cannot register " + partition + ", because " + earlier
                        + " has the same day in another location");
            }
        }
        if (byDay.isEmpty()) {
            return;
        }
        StorageDescriptor descriptor = tableDescriptor();
        List<Partition> all = new ArrayList<>(byDay.values());
        for (int from = 0; from < all.size(); from += MAX_PARTITIONS_PER_CALL) {
            List<Partition> batch = all.subList(from, Math.min(all.size(), from + MAX_PARTITIONS_PER_CALL));
            BatchCreatePartitionResponse response;
            try {
                response = glue.batchCreatePartition(
                        PartitionToGlue.batchCreate(database, table, batch, descriptor));
            } catch (SdkException e) {
                throw new CatalogException("Cannot register partitions " + days(batch) + " in " + qualifiedTable()
                        + ", because Glue failed: " + e.getMessage(), e);
            }
            List<PartitionError> failures = response.errors().stream()
                    .filter(error -> error.errorDetail() == null
                            || !"AlreadyExistsException".equals(error.errorDetail().errorCode()))
                    .toList();
            if (!failures.isEmpty()) {
                throw new CatalogException("Cannot register partitions " + days(batch) + " in " + qualifiedTable()
                        + ", because Glue refused " + describe(failures), null);
            }
        }
    }

    private StorageDescriptor tableDescriptor() {
        StorageDescriptor descriptor = tableDescriptor;
        if (descriptor == null) {
            Table found;
            try {
                found = glue.getTable(request -> request.databaseName(database).name(table)).table();
            } catch (SdkException e) {
                throw new CatalogException("Cannot read the table " + qualifiedTable() + " (QUARRY_DATABASE, "
                        + "QUARRY_TABLE), because Glue failed: " + e.getMessage(), e);
            }
            List<String> keys = found.partitionKeys().stream().map(Column::name).toList();
            if (!keys.equals(List.of("dt"))) {
                throw new CatalogException("Cannot register partitions in " + qualifiedTable()
                        + ", because it is partitioned by " + keys + ", not by [dt]", null);
            }
            if (found.storageDescriptor() == null) {
                throw new CatalogException("Cannot register partitions in " + qualifiedTable()
                        + ", because it has no storage descriptor to copy", null);
            }
            descriptor = found.storageDescriptor();
            tableDescriptor = descriptor;
        }
        return descriptor;
    }

    private String qualifiedTable() {
        return database + "." + table;
    }

    private static List<String> days(List<Partition> partitions) {
        return partitions.stream().sorted(Comparator.comparing(Partition::day))
                .map(p -> PartitionKeys.value(p.day())).toList();
    }

    private static String describe(List<PartitionError> failures) {
        StringBuilder text = new StringBuilder();
        for (PartitionError failure : failures) {
            if (!text.isEmpty()) {
                text.append("; ");
            }
            text.append(failure.partitionValues());
            if (failure.errorDetail() != null) {
                text.append(": ").append(failure.errorDetail().errorCode()).append(' ')
                        .append(failure.errorDetail().errorMessage());
            }
        }
        return text.toString();
    }
}
