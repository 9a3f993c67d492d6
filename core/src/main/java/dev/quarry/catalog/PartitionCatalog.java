package dev.quarry.catalog;

import java.util.Collection;

/**
 * The port through which new data files are announced, so that the table's catalog lists their days. On AWS
 * this is Glue (fed by S3 notifications); locally a catalog file beside the data.
 */
public interface PartitionCatalog {

    /**
     * Registers the partitions; already registered ones are left as they are (idempotent).
     *
     * @throws CatalogException when the catalog could not be brought up to date, so the caller can retry
     */
    void register(Collection<Partition> partitions);

    final class CatalogException extends RuntimeException {
        public CatalogException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
