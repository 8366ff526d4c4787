package digiads.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** docs/bench-search.md: the figures of {@link SearchBench}. */
final class SearchReport {

    /** One measured search: its case, the clients, the latencies, and what one search read. */
    record Row(int images, String page, int clients, Load.Result result, DynamoRecorder.Totals cost,
               String loadBefore, String loadAfter) {
    }

    /** Indexing a batch of images. */
    record Loading(int images, long items, double seconds, int threads, String loadBefore, String loadAfter) {
    }

    private SearchReport() {
    }

    static void write(SearchBench b, Path file) throws IOException {
        StringBuilder md = new StringBuilder();
        Instant now = Instant.now();
        b.appendTitle(md, "Benchmark: find-by-label", "bench/run.sh search");
        md.append("`GET /api/images?label=…&limit=").append(SearchBench.PAGE).append("` ([REST API](../README.md#rest-api)) ")
                .append("on ").append(b.sizes[0]).append(" and on ").append(b.sizes[1]).append(" indexed images, ")
                .append("each carrying five labels: **").append(SearchBench.COMMON).append("** (every image), four of ")
                .append(SearchBench.VOCABULARY.length).append(" others, and **").append(SearchBench.RARE).append("** on ")
                .append(SearchBench.RARE_IMAGES).append(" images (all among the first ").append(b.sizes[0]).append(").\n\n");
        md.append("## Conclusion\n\n").append(conclusion(b)).append("\n\n");

        md.append("## Figures\n\n");
        md.append("| Images indexed | Page | Clients | p50 ms | p99 ms | Searches/s | Errors | Query calls per search "
                + "| Items read per search (ScannedCount) | Items returned (Count) | Read units per search "
                + "| Time in DynamoDB per search, ms | Load average before → after |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row r : b.rows) {
            md.append(String.format(Locale.ROOT, "| %,d | %s | %d | %.1f | %.1f | %.0f | %d | %d | %d | %d | %.1f | %.1f | %s → %s |%n",
                    r.images(), r.page(), r.clients(), r.result().p(50), r.result().p(99), r.result().rps(),
                    r.result().errors, r.cost().queries(), r.cost().scanned(), r.cost().returned(), r.cost().readUnits(),
                    r.cost().millis(), r.loadBefore(), r.loadAfter()));
        }
        md.append("\nLatency is the client's (request sent to answer read, over loopback, with the bearer token the app "
                + "validates on every call), in closed loop: each client sends its next search when the previous "
                + "answered; after ").append(b.globalWarmup.toSeconds()).append(" s of warm-up over every case before the "
                + "first measurement, each measurement has ").append(b.warmup.toSeconds()).append(" s of warm-up, then ")
                .append(b.window.toSeconds()).append(" s measured. The read figures are one search's, recorded "
                + "alone (five times, the same each time), from DynamoDB's own answers to the app's Queries "
                + "(`ReturnConsumedCapacity: TOTAL`): dynalite computes them as DynamoDB bills them, the items' "
                + "sizes summed per Query, rounded up to 4 KB per read unit, halved for an eventually consistent read. "
                + "\"Time in DynamoDB\" is the Queries' round trips as the recorder between app and dynalite timed them "
                + "(the mean of those five searches).\n\n");

        md.append("## Indexing\n\n| Images | Index items | Seconds | Items/s | Threads | Load average before → after |\n"
                + "|---:|---:|---:|---:|---:|---|\n");
        for (Loading l : b.loads) {
            md.append(String.format(Locale.ROOT, "| %,d | %,d | %.1f | %,.0f | %d | %s → %s |%n", l.images(), l.items(),
                    l.seconds(), l.items() / l.seconds(), l.threads(), l.loadBefore(), l.loadAfter()));
        }
        md.append("\nThe index items are built by the app's own `digiads.labels.LabelIndex.entriesOf` from a LABELED "
                + "metadata item per image (image *i* labeled *i* seconds after a fixed time, so newest first is "
                + "highest *i* first) and written with BatchWriteItem of 25 items on several threads. The count items "
                + "(`GET /api/labels`) are not written: a search does not read them.\n\n");

        md.append("## Method\n\n");
        md.append("- **The app** is the jar as it ships (").append(b.cfg.appJvm.describe()).append("), secured as in production, "
                + "with S3, SQS and SNS on moto and DynamoDB on [dynalite](https://github.com/architect/dynalite) 4.0.0 "
                + "(npm, Apache-2.0; LevelDB on disk under `bench/target/run/dynalite-db`) through "
                + "`digiads.aws.dynamodb-endpoint-override`. dynalite's Query is a LevelDB range read from the "
                + "partition's start key (or the exclusive start key) for `Limit` items, as DynamoDB reads a partition; "
                + "moto's Query reads and sorts every item of the table on each call, so a latency on moto would "
                + "follow the table, whatever the design (and moto answers a constant `ConsumedCapacity`, not one "
                + "computed from the items).\n");
        md.append("- **Between the app and dynalite**, `bench/src/main/java/digiads/bench/DynamoRecorder.java` passes "
                + "every call through, adds `ReturnConsumedCapacity: TOTAL` to each Query and sums the answers' "
                + "`ScannedCount`, `Count` and `ConsumedCapacity` while a search is recorded. It is in the path of every "
                + "measured search too (one more loopback hop per Query).\n");
        md.append("- **A page** is a Query of `limit` items on each of the label's ").append(digiads.labels.LabelIndex.SHARDS)
                .append(" shards, merged newest first (`digiads.labels.LabelSearch`, `ShardMerge`); page ")
                .append(SearchBench.LATER_PAGE).append(" is reached by following `nextCursor` from the first page, and "
                        + "that cursor is then sent again and again.\n");
        md.append("- **What it does not show:** DynamoDB's own latency over a network, and partition limits (3,000 "
                + "read units a second per partition; see the README's label index section). dynalite is one Node.js "
                + "process on the same two cores as the app, moto, the issuer and the clients. The "
                + "smaller index is measured first and the larger one minutes later, in the same app JVM, which keeps "
                + "compiling meanwhile: a latency lower on the larger index comes from that and from the machine's "
                + "load, not from its size.\n\n");

        b.appendMachine(md);
        md.append("- **Load average** at the start of the run: ").append(b.loadStart).append("; at the end: ")
                .append(b.loadEnd).append(" (1, 5, 15 minutes; the machine is shared with other builds)\n");
        md.append("- **Command:** `bench/run.sh search`");
        if (b.sizes[1] != 100000 || b.window.toSeconds() != 10) {
            md.append(" (with BENCH_* settings: sizes ").append(b.sizes[0]).append(" and ").append(b.sizes[1])
                    .append(", windows of ").append(b.window.toSeconds()).append(" s)");
        }
        md.append("\n");
        Files.writeString(file, md.toString());
    }

    /** One sentence, from the figures: the small and the large index, the common label's first page, one client. */
    static String conclusion(SearchBench b) {
        Row small = find(b.rows, b.sizes[0]);
        Row large = find(b.rows, b.sizes[1]);
        if (small == null || large == null) {
            return "(incomplete run)";
        }
        boolean same = small.cost().queries() == large.cost().queries() && small.cost().scanned() == large.cost().scanned()
                && small.cost().readUnits() == large.cost().readUnits();
        return String.format(Locale.ROOT, "With %,d times as many images carrying the label (%,d → %,d), a first page "
                        + "of %d made %d → %d Queries that read %d → %d items for %.1f → %.1f read units, and its latency "
                        + "at one client went from p50 %.1f ms to %.1f ms (p99 %.1f → %.1f ms): %s",
                b.sizes[1] / b.sizes[0], b.sizes[0], b.sizes[1], SearchBench.PAGE, small.cost().queries(),
                large.cost().queries(), small.cost().scanned(), large.cost().scanned(), small.cost().readUnits(),
                large.cost().readUnits(), small.result().p(50), large.result().p(50), small.result().p(99),
                large.result().p(99), same ? "what a search reads and is billed follows the page, not the table."
                        : "what a search reads changed with the table (see the figures).");
    }

    private static Row find(List<Row> rows, int images) {
        return rows.stream().filter(r -> r.images() == images && r.clients() == 1).findFirst().orElse(null);
    }
}
