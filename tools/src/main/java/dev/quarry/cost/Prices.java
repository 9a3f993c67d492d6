package dev.quarry.cost;

import java.util.List;

/**
 * Public on-demand prices in us-east-1, the only price table of the cost model. Dollars; GB means 10^9 bytes
 * (as in "5 GB of 200-byte logs = 25 million records"); a month is 30 days. Free tiers are ignored except
 * CloudFront's always-free 1 TB and 10 million requests, which a summary cache stays far below.
 *
 * <p>Sources (read on {@value #AS_OF}; check again before quoting a figure):
 * <ul>
 *   <li>API Gateway REST: https://aws.amazon.com/api-gateway/pricing/ (first 333 million requests a month)</li>
 *   <li>Data Firehose: https://aws.amazon.com/firehose/pricing/ (Direct PUT ingestion per GB, each record rounded
 *       up to 5 KB; format conversion per GB, same rounding; dynamic partitioning per GB, per 1,000 objects and
 *       per hour of JQ processing, the inline parsing of the partition key)</li>
 *   <li>S3 Standard: https://aws.amazon.com/s3/pricing/ (first 50 TB a month; PUT per 1,000 requests)</li>
 *   <li>Athena: https://aws.amazon.com/athena/pricing/ (per TB scanned, 10 MB minimum per query)</li>
 *   <li>Lambda: https://aws.amazon.com/lambda/pricing/ (x86, per request and per GB-second)</li>
 *   <li>CloudWatch Logs: https://aws.amazon.com/cloudwatch/pricing/ (Standard and Infrequent Access log classes:
 *       collect per GB, store per GB-month, Logs Insights per GB scanned; Infrequent Access collects for half
 *       Standard's price, stores and queries with Logs Insights at the same prices, and has no live tail, metric
 *       filters or subscriptions)</li>
 * </ul>
 *
 * <p>Three figures were not read from those pages: this workplace reaches no AWS pricing page, and the copies it can
 * search hold none of them. They are AWS's published figures as we know them and must be confirmed before they are
 * quoted: JQ processing $0.07 an hour, CloudWatch Logs Infrequent Access collect $0.25 per GB, and CloudWatch Logs
 * storage $0.03 per GB-month ({@link #UNCONFIRMED}).
 */
public record Prices(
        String asOf,
        double apiGatewayPerMillionRequests,
        double firehoseIngestionPerGb,
        int firehoseRecordRoundingBytes,
        double firehoseFormatConversionPerGb,
        double firehoseDynamicPartitioningPerGb,
        double firehoseDynamicPartitioningPerThousandObjects,
        double firehoseJqProcessingPerHour,
        double s3StoragePerGbMonth,
        double s3PutPerThousand,
        double athenaPerTb,
        long athenaMinimumBytesPerQuery,
        double lambdaPerMillionRequests,
        double lambdaPerGbSecond,
        double cloudWatchIngestionPerGb,
        double cloudWatchInfrequentAccessIngestionPerGb,
        double cloudWatchStoragePerGbMonth,
        double cloudWatchInsightsPerGbScanned) {

    public static final String AS_OF = "2026-11-27";

    /** The components whose price could not be confirmed from the pricing pages here (see above). */
    public static final List<String> UNCONFIRMED = List.of(
            "firehoseJqProcessingPerHour", "cloudWatchInfrequentAccessIngestionPerGb", "cloudWatchStoragePerGbMonth");

    public static final Prices US_EAST_1 = new Prices(
            AS_OF,
            3.50,            // API Gateway REST, per million requests
            0.029,           // Firehose Direct PUT ingestion, per GB (first 500 TB)
            5 * 1024,        // Firehose rounds every record up to 5 KB for ingestion and format conversion
            0.018,           // Firehose format conversion (JSON to Parquet), per GB
            0.020,           // Firehose dynamic partitioning, per GB
            0.005,           // Firehose dynamic partitioning, per 1,000 objects delivered to S3
            0.07,            // Firehose dynamic partitioning, per hour of JQ processing (unconfirmed)
            0.023,           // S3 Standard, per GB-month
            0.005,           // S3 PUT, per 1,000 requests
            5.00,            // Athena, per TB scanned
            10_000_000L,     // Athena bills at least 10 MB per query
            0.20,            // Lambda, per million requests
            0.0000166667,    // Lambda x86, per GB-second
            0.50,            // CloudWatch Logs Standard, collect (ingest), per GB
            0.25,            // CloudWatch Logs Infrequent Access, collect (ingest), per GB (unconfirmed)
            0.03,            // CloudWatch Logs, store (archive), per GB-month, either class (unconfirmed)
            0.005);          // CloudWatch Logs Insights, per GB scanned
}
