package dev.quarry.cost;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The monthly cost of this pipeline on AWS and of CloudWatch Logs for the same logs, from {@link Prices} and the
 * bytes measured on the benchmark's records ({@link Measured}). Every assumption is a named constant or a field of
 * {@link Workload}; {@code scripts/cost} prints an estimate ({@code CostReport}), {@code scripts/bench} the figures for 5 GB a month.
 * The tools module that holds them ships in no artifact (not in {@code function.zip}).
 */
public final class CostModel {
    /** The mapping template adds {@code received_at} to every record it hands to Firehose (README: about 30 bytes). */
    public static final int RECEIVED_AT_BYTES = 30;
    public static final double SECONDS_PER_MONTH = 30 * 86_400;
    public static final double GB = 1e9;
    /** Firehose buffer of serverless.yml ({@code bufferSeconds: 300}, 128 MB): one Parquet object per flush. */
    public static final double FIREHOSE_BUFFER_SECONDS = 300;
    public static final double FIREHOSE_BUFFER_BYTES = 128 * 1024 * 1024;
    /** Days a summary reads when it misses the cache: the contract's default range. */
    public static final int SUMMARY_DAYS = 7;
    /**
     * Days a search page reads: the default range, the last 24 hours, touches today's and yesterday's {@code dt}.
     * A search shows every stored column, so it reads those days' Parquet whole.
     */
    public static final int SEARCH_DAYS = 2;
    /**
     * Lambda memory of each function (its {@code memorySize} in serverless.yml, pinned by {@code CostModelTest}) and
     * the assumed billed duration of one invocation. Search pages run in the summary function.
     */
    public static final double PARTITION_GB = 0.5;
    public static final double SUMMARY_GB = 1.0;
    public static final double PARTITION_SECONDS = 0.1;
    public static final double SUMMARY_SECONDS = 1.0;
    /**
     * Seconds of JQ processing per GB of records (with {@code received_at}): an estimate, from jq 1.6 running
     * serverless.yml's MetadataExtractionQuery over 200,000 realistic records (47.3 MB) in 11.2 s on a shared
     * 2-core machine (docs/performance.md). How Firehose meters its JQ hours is not published beyond the price.
     */
    public static final double JQ_SECONDS_PER_GB = 237;

    /** CloudWatch Logs log classes: the rival for logs that are stored and queried is Infrequent Access. */
    public enum LogClass { STANDARD, INFREQUENT_ACCESS }

    private final Prices prices;

    public CostModel(Prices prices) {
        this.prices = prices;
    }

    /**
     * What is sent and read in a month.
     *
     * @param gbPerMonth         JSON log records posted a month (the records' own bytes, as CloudWatch counts them)
     * @param averageRecordBytes the average record's JSON size
     * @param recordsPerRequest  records per {@code POST /logs} (1 to 500)
     * @param summaryRequestsPerDay {@code GET /summary} requests a day
     * @param cacheHitRatio      share of summary requests CloudFront answers from its cache
     * @param analysedGbPerMonth log bytes (JSON) read by ad-hoc analysis a month (Athena here, Logs Insights there)
     * @param searchesPerDay     {@code GET /search} pages a day that miss the cache (each one Athena query over
     *     {@link #SEARCH_DAYS} days)
     */
    public record Workload(double gbPerMonth, double averageRecordBytes, int recordsPerRequest,
            double summaryRequestsPerDay, double cacheHitRatio, double analysedGbPerMonth, double searchesPerDay) {
        /** Without searches. */
        public Workload(double gbPerMonth, double averageRecordBytes, int recordsPerRequest,
                double summaryRequestsPerDay, double cacheHitRatio, double analysedGbPerMonth) {
            this(gbPerMonth, averageRecordBytes, recordsPerRequest, summaryRequestsPerDay, cacheHitRatio,
                    analysedGbPerMonth, 0);
        }

        public Workload {
            if (searchesPerDay < 0) {
                throw new IllegalArgumentException("searches per day must be 0 or more, not " + searchesPerDay);
            }
            if (recordsPerRequest < 1 || recordsPerRequest > 500) {
                throw new IllegalArgumentException("records per request must be 1 to 500, not " + recordsPerRequest);
            }
            if (cacheHitRatio < 0 || cacheHitRatio > 1) {
                throw new IllegalArgumentException("cache hit ratio must be 0 to 1, not " + cacheHitRatio);
            }
        }

        /** The original article's case: 5 GB of 200-byte logs a month, 3 GB of it analysed, no summaries. */
        public static Workload article(int recordsPerRequest) {
            return new Workload(5, 200, recordsPerRequest, 0, 0, 3);
        }

        public double recordsPerMonth() {
            return gbPerMonth * GB / averageRecordBytes;
        }

        public double recordsPerSecond() {
            return recordsPerMonth() / SECONDS_PER_MONTH;
        }

        public Workload withRecordsPerRequest(int records) {
            return new Workload(gbPerMonth, averageRecordBytes, records, summaryRequestsPerDay, cacheHitRatio,
                    analysedGbPerMonth, searchesPerDay);
        }
    }

    /**
     * What the benchmark measured: JSON bytes posted per Parquet byte stored, and Parquet bytes a query reads per
     * Parquet byte stored in its range (1 when a query reads every file of its days whole, as Athena bills it).
     */
    public record Measured(double compressionRatio, double scannedPerStoredByte) {
        /** The local writer's ZSTD, from the last {@code scripts/bench --quick} run. */
        public static final Measured BENCHMARK = new Measured(8.48, 1.0);
        /**
         * Parquet with SNAPPY (Firehose's default) and GZIP, measured by {@code ParquetCodecsMeasurement} on 9,000
         * of the benchmark's records (one 300 s Firehose buffer at 5 GB a month): 1,480,250 JSON bytes against
         * 292,258 (SNAPPY) and 173,649 (GZIP) Parquet bytes.
         */
        public static final Measured SNAPPY = new Measured(5.06, 1.0);
        public static final Measured GZIP = new Measured(8.52, 1.0);
        /** The codec of serverless.yml's ParquetSerDe (a deploy test keeps the two the same). */
        public static final String FIREHOSE_CODEC = "GZIP";
        public static final Measured FIREHOSE = GZIP;
    }

    /** Dollars a month, by line, in insertion order. */
    public record Estimate(Map<String, Double> lines) {
        public double total() {
            return lines.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /** Firehose-billed bytes of one request: its records (plus {@code received_at}) rounded up to 5 KB. */
    public long firehoseBilledBytesPerRequest(int records, double averageRecordBytes) {
        long bytes = (long) Math.ceil(records * (averageRecordBytes + RECEIVED_AT_BYTES));
        long rounding = prices.firehoseRecordRoundingBytes();
        return (bytes + rounding - 1) / rounding * rounding;
    }

    public Estimate pipeline(Workload workload, Measured measured) {
        Map<String, Double> lines = new LinkedHashMap<>();
        double records = workload.recordsPerMonth();
        double requests = records / workload.recordsPerRequest();
        lines.put("API Gateway requests", requests / 1e6 * prices.apiGatewayPerMillionRequests());

        double billedGb = requests * firehoseBilledBytesPerRequest(workload.recordsPerRequest(),
                workload.averageRecordBytes()) / GB;
        lines.put("Firehose ingestion (5 KB rounding)", billedGb * prices.firehoseIngestionPerGb());
        lines.put("Firehose format conversion (5 KB rounding)", billedGb * prices.firehoseFormatConversionPerGb());
        // Conservative: dynamic partitioning is charged on the same billed bytes.
        lines.put("Firehose dynamic partitioning, per GB", billedGb * prices.firehoseDynamicPartitioningPerGb());

        // One object per buffer flush (one active day partition: records arrive near their event time).
        double objects = Math.max(SECONDS_PER_MONTH / FIREHOSE_BUFFER_SECONDS,
                workload.gbPerMonth() * GB / FIREHOSE_BUFFER_BYTES);
        lines.put("Firehose dynamic partitioning, JQ processing (estimate)", workload.gbPerMonth()
                * (workload.averageRecordBytes() + RECEIVED_AT_BYTES) / workload.averageRecordBytes()
                * JQ_SECONDS_PER_GB / 3600 * prices.firehoseJqProcessingPerHour());
        lines.put("Firehose dynamic partitioning, per object",
                objects / 1000 * prices.firehoseDynamicPartitioningPerThousandObjects());
        lines.put("S3 PUT", objects / 1000 * prices.s3PutPerThousand());
        lines.put("partition Lambda", lambda(objects, PARTITION_SECONDS, PARTITION_GB));

        double parquetGb = workload.gbPerMonth() / measured.compressionRatio();
        // The month's Parquet, stored for a whole month (an upper bound for the first month).
        lines.put("S3 storage", parquetGb * prices.s3StoragePerGbMonth());

        double analysedBytes = workload.analysedGbPerMonth() / measured.compressionRatio()
                * measured.scannedPerStoredByte() * GB;
        double misses = summaryMisses(workload);
        double summaryBytes = Math.max(prices.athenaMinimumBytesPerQuery(),
                parquetGb * GB * SUMMARY_DAYS / 30.0 * measured.scannedPerStoredByte());
        lines.put("Athena, ad-hoc analysis", analysedBytes / 1e12 * prices.athenaPerTb());
        lines.put("Athena, summaries missing the cache", misses * summaryBytes / 1e12 * prices.athenaPerTb());
        lines.put("summary Lambda", lambda(misses, SUMMARY_SECONDS, SUMMARY_GB));
        double searches = workload.searchesPerDay() * 30;
        lines.put("Athena, search pages", searches * searchPageUsd(workload, measured));
        lines.put("search Lambda", lambda(searches, SUMMARY_SECONDS, SUMMARY_GB));
        return new Estimate(lines);
    }

    /** Bytes one search page has Athena scan: the Parquet of {@link #SEARCH_DAYS} days, at least 10 MB. */
    public double searchPageBytes(Workload workload, Measured measured) {
        double parquetBytes = workload.gbPerMonth() / measured.compressionRatio() * GB;
        return Math.max(prices.athenaMinimumBytesPerQuery(),
                parquetBytes * SEARCH_DAYS / 30.0 * measured.scannedPerStoredByte());
    }

    /** What one search page costs on Athena (its Lambda invocation aside). */
    public double searchPageUsd(Workload workload, Measured measured) {
        return searchPageBytes(workload, measured) / 1e12 * prices.athenaPerTb();
    }

    /** The same logs in CloudWatch Logs Standard; summaries are Logs Insights queries behind the same cache. */
    public Estimate cloudWatch(Workload workload) {
        return cloudWatch(workload, LogClass.STANDARD);
    }

    public Estimate cloudWatch(Workload workload, LogClass logClass) {
        Map<String, Double> lines = new LinkedHashMap<>();
        lines.put("CloudWatch Logs ingestion", workload.gbPerMonth() * (logClass == LogClass.STANDARD
                ? prices.cloudWatchIngestionPerGb() : prices.cloudWatchInfrequentAccessIngestionPerGb()));
        // Billed on the archive's compressed size; the uncompressed size is an upper bound, as the article took it.
        lines.put("CloudWatch Logs storage", workload.gbPerMonth() * prices.cloudWatchStoragePerGbMonth());
        lines.put("Logs Insights, ad-hoc analysis",
                workload.analysedGbPerMonth() * prices.cloudWatchInsightsPerGbScanned());
        lines.put("Logs Insights, summaries missing the cache", summaryMisses(workload)
                * workload.gbPerMonth() * SUMMARY_DAYS / 30.0 * prices.cloudWatchInsightsPerGbScanned());
        return new Estimate(lines);
    }

    /**
     * The smallest number of records per request at which this pipeline costs less than CloudWatch Logs for the
     * workload, or -1 if even batches of 500 do not.
     */
    public int breakEvenRecordsPerRequest(Workload workload, Measured measured) {
        return breakEvenRecordsPerRequest(workload, measured, LogClass.STANDARD);
    }

    public int breakEvenRecordsPerRequest(Workload workload, Measured measured, LogClass logClass) {
        double cloudWatch = cloudWatch(workload, logClass).total();
        for (int records = 1; records <= 500; records++) {
            if (pipeline(workload.withRecordsPerRequest(records), measured).total() < cloudWatch) {
                return records;
            }
        }
        return -1;
    }

    private static double summaryMisses(Workload workload) {
        return workload.summaryRequestsPerDay() * 30 * (1 - workload.cacheHitRatio());
    }

    private double lambda(double invocations, double seconds, double gb) {
        return invocations / 1e6 * prices.lambdaPerMillionRequests()
                + invocations * seconds * gb * prices.lambdaPerGbSecond();
    }
}
