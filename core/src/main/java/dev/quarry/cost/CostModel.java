package dev.quarry.cost;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The monthly cost of this pipeline on AWS and of CloudWatch Logs for the same logs, from {@link Prices} and the
 * bytes the benchmark measured ({@link Measured}). Every assumption is a named constant or a field of
 * {@link Workload}; {@code scripts/cost} prints an estimate, {@code scripts/bench} the figures for 5 GB a month.
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
    /** Lambda memory (serverless.yml) and assumed billed duration of one invocation of each function. */
    public static final double LAMBDA_GB = 0.5;
    public static final double PARTITION_SECONDS = 0.1;
    public static final double SUMMARY_SECONDS = 1.0;

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
     */
    public record Workload(double gbPerMonth, double averageRecordBytes, int recordsPerRequest,
            double summaryRequestsPerDay, double cacheHitRatio, double analysedGbPerMonth) {
        public Workload {
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
                    analysedGbPerMonth);
        }
    }

    /**
     * What the benchmark measured: JSON bytes posted per Parquet byte stored, and Parquet bytes a query reads per
     * Parquet byte stored in its range (1 when a query reads every file of its days whole, as Athena bills it).
     */
    public record Measured(double compressionRatio, double scannedPerStoredByte) {
        /** Figures of the last {@code scripts/bench --quick} run (README "Performance and cost"). */
        public static final Measured BENCHMARK = new Measured(8.48, 1.0);
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
        lines.put("Firehose dynamic partitioning, per object",
                objects / 1000 * prices.firehoseDynamicPartitioningPerThousandObjects());
        lines.put("S3 PUT", objects / 1000 * prices.s3PutPerThousand());
        lines.put("partition Lambda", lambda(objects, PARTITION_SECONDS));

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
        lines.put("summary Lambda", lambda(misses, SUMMARY_SECONDS));
        return new Estimate(lines);
    }

    /** The same logs in CloudWatch Logs; summaries are Logs Insights queries behind the same cache. */
    public Estimate cloudWatch(Workload workload) {
        Map<String, Double> lines = new LinkedHashMap<>();
        lines.put("CloudWatch Logs ingestion", workload.gbPerMonth() * prices.cloudWatchIngestionPerGb());
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
        double cloudWatch = cloudWatch(workload).total();
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

    private double lambda(double invocations, double seconds) {
        return invocations / 1e6 * prices.lambdaPerMillionRequests()
                + invocations * seconds * LAMBDA_GB * prices.lambdaPerGbSecond();
    }

    /** {@code scripts/cost}: prints both estimates for the workload given as {@code --name value} arguments. */
    public static void main(String[] args) {
        Map<String, String> options = new LinkedHashMap<>(Map.of(
                "gb-per-month", "5", "record-bytes", "200", "records-per-request", "500",
                "summary-requests-per-day", "0", "cache-hit-ratio", "0", "analysed-gb-per-month", "3",
                "compression-ratio", Double.toString(Measured.BENCHMARK.compressionRatio()),
                "scanned-per-stored-byte", Double.toString(Measured.BENCHMARK.scannedPerStoredByte())));
        String recordsPerSecond = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (name.equals("help") || i + 1 >= args.length
                    || !(options.containsKey(name) || name.equals("records-per-second"))) {
                System.err.println("usage: scripts/cost [--gb-per-month G | --records-per-second R] [--record-bytes B]"
                        + " [--records-per-request N] [--summary-requests-per-day S] [--cache-hit-ratio H]"
                        + " [--analysed-gb-per-month A] [--compression-ratio C] [--scanned-per-stored-byte F]");
                System.exit(name.equals("help") ? 0 : 2);
            }
            if (name.equals("records-per-second")) {
                recordsPerSecond = args[++i];
            } else {
                options.put(name, args[++i]);
            }
        }
        double recordBytes = Double.parseDouble(options.get("record-bytes"));
        double gb = recordsPerSecond == null ? Double.parseDouble(options.get("gb-per-month"))
                : Double.parseDouble(recordsPerSecond) * SECONDS_PER_MONTH * recordBytes / GB;
        Workload workload = new Workload(gb, recordBytes, Integer.parseInt(options.get("records-per-request")),
                Double.parseDouble(options.get("summary-requests-per-day")),
                Double.parseDouble(options.get("cache-hit-ratio")),
                Double.parseDouble(options.get("analysed-gb-per-month")));
        Measured measured = new Measured(Double.parseDouble(options.get("compression-ratio")),
                Double.parseDouble(options.get("scanned-per-stored-byte")));
        CostModel model = new CostModel(Prices.US_EAST_1);
        Estimate pipeline = model.pipeline(workload, measured);
        Estimate cloudWatch = model.cloudWatch(workload);
        System.out.printf(Locale.ROOT, "workload: %.3f GB a month, %.1f records/s of %.0f bytes, %d records a request,"
                        + " %.0f summaries a day (%.0f %% cached), %.3f GB analysed; compression %.2f; prices us-east-1"
                        + " of %s%n", gb, workload.recordsPerSecond(), recordBytes, workload.recordsPerRequest(),
                workload.summaryRequestsPerDay(), workload.cacheHitRatio() * 100, workload.analysedGbPerMonth(),
                measured.compressionRatio(), Prices.AS_OF);
        print("this pipeline", pipeline);
        print("CloudWatch Logs", cloudWatch);
        System.out.printf(Locale.ROOT, "cost_usd_month_pipeline: %.4f%n", pipeline.total());
        System.out.printf(Locale.ROOT, "cost_usd_month_cloudwatch: %.4f%n", cloudWatch.total());
        System.out.printf(Locale.ROOT, "cost_ratio_cloudwatch_over_pipeline: %.2f%n",
                cloudWatch.total() / pipeline.total());
        int breakEven = model.breakEvenRecordsPerRequest(workload, measured);
        System.out.println("cost_breakeven_records_per_request: " + (breakEven < 0 ? "none up to 500" : breakEven));
    }

    private static void print(String title, Estimate estimate) {
        System.out.println(title + ":");
        estimate.lines().forEach((line, usd) -> System.out.printf(Locale.ROOT, "  %-45s %10.4f USD%n", line, usd));
        System.out.printf(Locale.ROOT, "  %-45s %10.4f USD%n", "total a month", estimate.total());
    }
}
