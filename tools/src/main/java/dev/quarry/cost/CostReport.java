package dev.quarry.cost;

import dev.quarry.cost.CostModel.Estimate;
import dev.quarry.cost.CostModel.LogClass;
import dev.quarry.cost.CostModel.Measured;
import dev.quarry.cost.CostModel.Workload;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code scripts/cost}: prints the pipeline's monthly estimate against CloudWatch Logs Standard and Infrequent
 * Access for the workload given as {@code --name value} arguments. In the tools module, so it
 * stays out of {@code function.zip}.
 */
public final class CostReport {
    private static final String USAGE = "usage: scripts/cost [--gb-per-month G | --records-per-second R]"
            + " [--record-bytes B] [--records-per-request N] [--summary-requests-per-day S] [--cache-hit-ratio H]"
            + " [--analysed-gb-per-month A] [--searches-per-day Q] [--compression-ratio C]"
            + " [--scanned-per-stored-byte F]";

    private CostReport() {
    }

    public static void main(String[] args) {
        Map<String, String> options = new LinkedHashMap<>(Map.of(
                "searches-per-day", "0", "gb-per-month", "5", "record-bytes", "200", "records-per-request", "500",
                "summary-requests-per-day", "0", "cache-hit-ratio", "0", "analysed-gb-per-month", "3",
                "compression-ratio", Double.toString(Measured.FIREHOSE.compressionRatio()),
                "scanned-per-stored-byte", Double.toString(Measured.FIREHOSE.scannedPerStoredByte())));
        String recordsPerSecond = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (name.equals("help") || i + 1 >= args.length
                    || !(options.containsKey(name) || name.equals("records-per-second"))) {
                System.err.println(USAGE);
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
                : Double.parseDouble(recordsPerSecond) * CostModel.SECONDS_PER_MONTH * recordBytes / CostModel.GB;
        Workload workload = new Workload(gb, recordBytes, Integer.parseInt(options.get("records-per-request")),
                Double.parseDouble(options.get("summary-requests-per-day")),
                Double.parseDouble(options.get("cache-hit-ratio")),
                Double.parseDouble(options.get("analysed-gb-per-month")),
                Double.parseDouble(options.get("searches-per-day")));
        Measured measured = new Measured(Double.parseDouble(options.get("compression-ratio")),
                Double.parseDouble(options.get("scanned-per-stored-byte")));
        CostModel model = new CostModel(Prices.US_EAST_1);
        Estimate pipeline = model.pipeline(workload, measured);
        Estimate standard = model.cloudWatch(workload, LogClass.STANDARD);
        Estimate infrequent = model.cloudWatch(workload, LogClass.INFREQUENT_ACCESS);
        System.out.printf(Locale.ROOT, "workload: %.3f GB a month, %.1f records/s of %.0f bytes, %d records a request,"
                        + " %.0f summaries a day (%.0f %% cached), %.0f search pages a day, %.3f GB analysed; compression %.2f (Firehose"
                        + " Parquet %s: %.2f); prices us-east-1 of %s%n", gb, workload.recordsPerSecond(),
                recordBytes, workload.recordsPerRequest(), workload.summaryRequestsPerDay(),
                workload.cacheHitRatio() * 100, workload.searchesPerDay(), workload.analysedGbPerMonth(), measured.compressionRatio(),
                Measured.FIREHOSE_CODEC, Measured.FIREHOSE.compressionRatio(), Prices.AS_OF);
        System.out.println("prices not confirmed from AWS's pricing pages (check them before quoting): "
                + String.join(", ", Prices.UNCONFIRMED));
        print("this pipeline", pipeline);
        print("CloudWatch Logs Standard", standard);
        print("CloudWatch Logs Infrequent Access", infrequent);
        System.out.printf(Locale.ROOT, "cost_usd_month_pipeline: %.4f%n", pipeline.total());
        System.out.printf(Locale.ROOT, "cost_usd_month_cloudwatch: %.4f%n", standard.total());
        System.out.printf(Locale.ROOT, "cost_usd_month_cloudwatch_infrequent_access: %.4f%n", infrequent.total());
        System.out.printf(Locale.ROOT, "cost_ratio_cloudwatch_over_pipeline: %.2f%n",
                standard.total() / pipeline.total());
        System.out.printf(Locale.ROOT, "cost_ratio_cloudwatch_infrequent_access_over_pipeline: %.2f%n",
                infrequent.total() / pipeline.total());
        System.out.printf(Locale.ROOT, "cost_search_page_mb_scanned: %.1f%n",
                model.searchPageBytes(workload, measured) / 1e6);
        System.out.printf(Locale.ROOT, "cost_usd_search_page: %.6f%n", model.searchPageUsd(workload, measured));
        System.out.println("cost_breakeven_records_per_request: "
                + breakEven(model.breakEvenRecordsPerRequest(workload, measured, LogClass.STANDARD)));
        System.out.println("cost_breakeven_records_per_request_infrequent_access: "
                + breakEven(model.breakEvenRecordsPerRequest(workload, measured, LogClass.INFREQUENT_ACCESS)));
    }

    private static String breakEven(int records) {
        return records < 0 ? "none up to 500" : Integer.toString(records);
    }

    private static void print(String title, Estimate estimate) {
        System.out.println(title + ":");
        estimate.lines().forEach((line, usd) -> System.out.printf(Locale.ROOT, "  %-55s %10.4f USD%n", line, usd));
        System.out.printf(Locale.ROOT, "  %-55s %10.4f USD%n", "total a month", estimate.total());
    }
}
