package dev.quarry.lambda;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import dev.quarry.catalog.Partition;
import dev.quarry.catalog.PartitionKeys;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pure mapping from an S3 notification to the partitions its new objects belong to, grouped by bucket, and the
 * records that announce none, each with the reason.
 */
public final class S3EventToPartitions {
    private static final String CREATED = "ObjectCreated:";

    private S3EventToPartitions() {
    }

    /** A notification record that announces no partition. */
    public record Ignored(String bucket, String key, String eventName, String reason) {
    }

    /**
     * @param byBucket the distinct partitions per bucket, in order of first appearance
     * @param ignored the records that announce none
     */
    public record Found(Map<String, Set<Partition>> byBucket, List<Ignored> ignored) {
        public List<Partition> partitions() {
            return byBucket.values().stream().flatMap(Set::stream).toList();
        }
    }

    public static Found found(S3Event event) {
        Map<String, Set<Partition>> byBucket = new TreeMap<>();
        List<Ignored> ignored = new ArrayList<>();
        List<S3EventNotificationRecord> records = event == null || event.getRecords() == null
                ? List.of() : event.getRecords();
        for (S3EventNotificationRecord record : records) {
            if (!"aws:s3".equals(record.getEventSource()) || record.getS3() == null
                    || record.getS3().getBucket() == null || record.getS3().getObject() == null) {
                throw new IllegalArgumentException("Cannot handle a record from " + record.getEventSource()
                        + ", because the partition function takes S3 event notifications only");
            }
            String bucket = record.getS3().getBucket().getName();
            String rawKey = record.getS3().getObject().getKey();
            String eventName = record.getEventName();
            Optional<String> key = decodeKey(rawKey);
            if (key.isEmpty()) {
                ignored.add(new Ignored(bucket, rawKey, eventName, "the key is not URL-encoded as S3 encodes keys"));
                continue;
            }
            if (eventName == null || !eventName.startsWith(CREATED)) {
                ignored.add(new Ignored(bucket, key.get(), eventName, "not an ObjectCreated event"));
                continue;
            }
            Optional<LocalDate> day = PartitionKeys.dayOf(key.get());
            if (day.isEmpty()) {
                ignored.add(new Ignored(bucket, key.get(), eventName,
                        "not an object under " + PartitionKeys.KEY_PATTERN));
                continue;
            }
            byBucket.computeIfAbsent(bucket, b -> new LinkedHashSet<>()).add(new Partition(day.get(),
                    location(bucket, day.get())));
        }
        return new Found(byBucket, ignored);
    }

    /** {@code s3://bucket/logs/dt=2026-11-26/}, the location of a day's partition. */
    public static String location(String bucket, LocalDate day) {
        return "s3://" + bucket + "/" + PartitionKeys.directoryOf(day);
    }

    /**
     * S3 notifications carry keys URL-encoded, with {@code +} for a space ({@code logs/dt%3D2026-11-26/a+b}).
     *
     * @return the key as stored, or empty if it is not validly encoded
     */
    public static Optional<String> decodeKey(String key) {
        if (key == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(URLDecoder.decode(key, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
