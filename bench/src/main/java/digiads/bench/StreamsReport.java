package digiads.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/** docs/bench-streams.md: the figures of {@link StreamsBench}. */
final class StreamsReport {

    private StreamsReport() {
    }

    static void write(StreamsBench b, Path file) throws IOException {
        StringBuilder md = new StringBuilder();
        Instant now = Instant.now();
        int n = b.streams;
        b.appendTitle(md, "Benchmark: " + String.format(Locale.ROOT, "%,d", n) + " open live-update streams", "bench/run.sh streams");
        md.append(String.format(Locale.ROOT, "%,d event streams (`GET /api/events`, [Live updates](../README.md#live-updates)) "
                + "open on one app instance, against moto with S3, SQS, SNS and DynamoDB; %d images put into the bucket, "
                + "one every %.1f s, which the pipeline labels, writes and publishes.%n%n", n, b.images,
                b.interval.toMillis() / 1000.0));

        md.append("## Conclusion\n\n").append(conclusion(b)).append("\n\n");

        md.append("## Metadata write to event at the client\n\n");
        md.append("| (image, client) pairs expected | arrived | p50 ms | p90 ms | p99 ms | max ms |\n|---:|---:|---:|---:|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| %,d | %,d | %s |%n", b.expected, b.pairs, percentiles(b.delays)));
        md.append("\nThe same, in two hops (the event's `at` is when the writing instance published it, after its DynamoDB write):\n\n");
        md.append("| Hop | count | p50 ms | p90 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| write → published (per image) | %,d | %s |%n", b.published.getTotalCount(),
                percentiles(b.published)));
        md.append(String.format(Locale.ROOT, "| published → at the client (per pair): SNS → the instance's queue → its streams | %,d | %s |%n",
                b.delivered.getTotalCount(), percentiles(b.delivered)));
        md.append(String.format(Locale.ROOT, "| published → its first client (per image): SNS → the instance's queue → the first stream | %,d | %s |%n",
                b.firstClient.getTotalCount(), percentiles(b.firstClient)));
        md.append(String.format(Locale.ROOT, "| its first client → its last (per image): the fan-out to every stream | %,d | %s |%n",
                b.spread.getTotalCount(), percentiles(b.spread)));
        md.append(String.format(Locale.ROOT, "%nEvents read by the clients: %,d `image` events (%,d of them `IN_WORK`); streams "
                + "the app ended before the clients closed them: %d.%n%n", b.events.get(), b.inWork.get(), b.endedEarly));

        md.append("## Memory and threads\n\n");
        int h = n / 2;
        md.append(String.format(Locale.ROOT, "| | no stream | %,d streams | %,d streams | per stream, 0 → %,d | per stream, %,d → %,d |%n"
                + "|---|---:|---:|---:|---:|---:|%n", h, n, n, h, n));
        md.append(String.format(Locale.ROOT, "| RSS | %.1f MB | %.1f MB | %.1f MB | %.1f KB | %.1f KB |%n", b.idle.rssKb() / 1024.0,
                b.half.rssKb() / 1024.0, b.open.rssKb() / 1024.0, (b.open.rssKb() - b.idle.rssKb()) / (double) n,
                (b.open.rssKb() - b.half.rssKb()) / (double) (n - h)));
        md.append(String.format(Locale.ROOT, "| Heap used after a full GC | %.1f MB | %.1f MB | %.1f MB | %.1f KB | %.1f KB |%n",
                b.idle.heapUsedKb() / 1024.0, b.half.heapUsedKb() / 1024.0, b.open.heapUsedKb() / 1024.0,
                (b.open.heapUsedKb() - b.idle.heapUsedKb()) / (double) n,
                (b.open.heapUsedKb() - b.half.heapUsedKb()) / (double) (n - h)));
        md.append(String.format(Locale.ROOT, "| Heap committed | %.1f MB | %.1f MB | %.1f MB | | |%n", b.idle.heapCommittedKb() / 1024.0,
                b.half.heapCommittedKb() / 1024.0, b.open.heapCommittedKb() / 1024.0));
        md.append(String.format(Locale.ROOT, "| Threads | %d | %d | %d | %+d in all | %+d in all |%n%n", b.idle.threads(),
                b.half.threads(), b.open.threads(), b.open.threads() - b.idle.threads(), b.open.threads() - b.half.threads()));
        md.append("Measured once the app had subscribed its updates queue and was idle, again with half and with every stream "
                + "open and `ready` (before any image), each time 2 s after the last change and right after `jcmd <pid> GC.run`: RSS from "
                + "`/proc/<pid>/status`, the heap from `jcmd <pid> GC.heap_info`. RSS per stream includes what the JVM kept "
                + "of the heap it grew (a collector returns memory lazily): the heap after GC is the live data. The first streams "
                + "also pay once for what serving a stream loads (classes, Tomcat's worker threads): the second half's cost "
                + "per stream is the marginal one.\n\n");

        md.append("## Method\n\n");
        md.append("- **The app** is the jar as it ships (").append(b.cfg.appJvm.describe()).append("), secured as in production: each "
                + "stream is opened with a bearer token from the local issuer. The per-instance cap is the default 2,000 streams.\n");
        md.append("- **The clients** are one Java `HttpClient` (HTTP/1.1, one connection per stream, a selector thread and a "
                + "pool of 4 threads for all streams), each stream read line by line (`BodyHandlers.fromLineSubscriber`); "
                + "they are opened 50 at a time, each batch waiting for its `ready` events.\n");
        md.append("- **The delay** of a pair is when the image's `LABELED` event arrived at the client (the bench's clock) minus "
                + "the image's `listedAt` in its metadata item (the app's clock, the same machine; the time of the DynamoDB "
                + "write), as `reliability/live.py` measures it; every image's `LABELED` event is expected at every client.\n");
        md.append("- **The path** of an event: the instance that wrote the state publishes it to the SNS topic; moto delivers "
                + "it to the instance's own SQS queue; the instance's long poll receives it and hands it to every open stream's queue, "
                + "from which a pool of 4 sender threads writes and flushes it to each client (`digiads.live.StreamHub`, "
                + "`LiveConfig`): one event is 1,000 writes. moto (one Python process) serves the pipeline's S3, SQS, Rekognition and DynamoDB calls on the same two cores.\n\n");

        b.appendMachine(md);
        md.append("- **Load average** (1, 5, 15 minutes; the machine is shared with other builds): at the start of the run ")
                .append(b.loadStart).append("; when the images began ").append(b.measureStart).append("; when the last event "
                        + "was waited for ").append(b.measureEnd).append("; at the end ").append(b.loadEnd).append('\n');
        md.append("- **Command:** `bench/run.sh streams`");
        if (n != 1000 || b.images != 40) {
            md.append(String.format(Locale.ROOT, " (BENCH_STREAMS=%d, BENCH_STREAMS_IMAGES=%d)", n, b.images));
        }
        md.append("\n\n<details><summary>GC.heap_info with ").append(n).append(" streams open</summary>\n\n```\n")
                .append(b.open.heapInfo()).append("\n```\n</details>\n");
        Files.writeString(file, md.toString());
    }

    private static String percentiles(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "– | – | – | –";
        }
        return String.format(Locale.ROOT, "%.0f | %.0f | %.0f | %.0f", h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(90) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }

    static String conclusion(StreamsBench b) {
        boolean all = b.pairs == b.expected;
        return String.format(Locale.ROOT, "With %,d streams open on one instance, %s of the %,d expected (image, client) "
                        + "events arrived (%,d), p50 %.0f ms and p99 %.0f ms (max %.0f ms) after the metadata write; the "
                        + "streams cost %.1f KB of heap after GC each (%.1f KB each of the second half) and %.1f KB of RSS "
                        + "each, and %+d threads in all.",
                b.streams, all ? "all" : "not all", b.expected, b.pairs, b.delays.getValueAtPercentile(50) / 1000.0,
                b.delays.getValueAtPercentile(99) / 1000.0, b.delays.getMaxValue() / 1000.0,
                (b.open.heapUsedKb() - b.idle.heapUsedKb()) / (double) b.streams,
                (b.open.heapUsedKb() - b.half.heapUsedKb()) / (double) (b.streams - b.streams / 2),
                (b.open.rssKb() - b.idle.rssKb()) / (double) b.streams, b.open.threads() - b.idle.threads());
    }
}
