package digiads.bench;

import java.io.IOException;
import java.nio.file.*;
import java.util.*;

import com.fasterxml.jackson.databind.*;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A run's headline figures, machine-readable ({@code bench-results.json} next to the report): each run
 * writes its own and prints the previous run's beside them. Keys are flat ("c32.ours-cold.p50"); a
 * figure the run did not measure is absent. {@code about} says which run they come from.
 */
final class Figures {

    static final String FILE = "bench-results.json";
    /** The start mode's figures ({@code bench/run.sh start}): median start to ready of each form. */
    static final String START_FILE = "bench-start-results.json";

    final Map<String, String> about = new LinkedHashMap<>();
    final Map<String, Double> values = new LinkedHashMap<>();

    static final Figures NONE = new Figures();

    double get(String key) {
        Double v = values.get(key);
        return v == null ? Double.NaN : v;
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    void put(String key, double value) {
        if (!Double.isNaN(value) && !Double.isInfinite(value)) {
            values.put(key, Math.round(value * 1000) / 1000.0);
        }
    }

    /** The figures of a results file, or none when there is none. */
    static Figures read(Path file) {
        Figures f = new Figures();
        if (!Files.isRegularFile(file)) {
            return f;
        }
        try {
            JsonNode root = Clients.JSON.readTree(file.toFile());
            root.path("about").properties().forEach(e -> f.about.put(e.getKey(), e.getValue().asText()));
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("figures").properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (e.getValue().isNumber()) {
                    f.values.put(e.getKey(), e.getValue().asDouble());
                }
            }
        } catch (IOException e) {
            f.about.put("error", "unreadable " + file + ": " + e.getMessage());
        }
        return f;
    }

    void write(Path file) throws IOException {
        ObjectNode root = Clients.JSON.createObjectNode();
        ObjectNode a = root.putObject("about");
        about.forEach(a::put);
        ObjectNode v = root.putObject("figures");
        values.forEach(v::put);
        Files.writeString(file, Clients.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n");
    }

    /** Where the previous run came from, for the report ("–" when there is none). */
    String describe() {
        if (about.isEmpty()) {
            return "none (no " + FILE + " before this run)";
        }
        return about.getOrDefault("jvm", "?") + ", commit " + about.getOrDefault("commit", "?") + ", "
                + about.getOrDefault("date", "?");
    }

    /** How the figures were made (e.g. an older method), for the report's Method section. */
    String method() {
        return about.getOrDefault("method", "");
    }

    /** Who made the figures: date, commit, JDK and the kind of run. */
    static Figures made(java.time.Instant when, String commitLine, String method) {
        Figures f = new Figures();
        f.about.put("date", Modes.utc(when));
        f.about.put("commit", commitLine.split(" ")[0]);
        f.about.put("jvm", "JDK " + Runtime.version().feature());
        f.about.put("method", method);
        return f;
    }

    /** This run's headline figures. */
    static Figures of(Report d, Figures start) {
        Results res = d.res;
        Figures f = made(res.began, res.machine.getOrDefault("Commit", "?"),
                res.quick ? "smoke run (BENCH_QUICK=1)" : "full run; limits measured at each client count");
        for (int c : d.cfg.concurrency) {
            String p = "c" + c + ".";
            for (String run : new String[] {"metadata", "deals-direct", "ours-cold", "ours-warm", "baseline"}) {
                f.put(p + run + ".p50", d.p50(run + "@" + c));
                f.put(p + run + ".p99", d.p99(run + "@" + c));
            }
            for (String mode : new String[] {"cold", "warm"}) {
                f.put(p + "limit-" + mode + ".p50", d.limit(mode, c, 50));
                f.put(p + "limit-" + mode + ".p99", d.limit(mode, c, 99));
                f.put(p + "ours-" + mode + ".minus-limit.p50", d.p50("ours-" + mode + "@" + c) - d.limit(mode, c, 50));
                f.put(p + "ours-" + mode + ".minus-limit.p99", d.p99("ours-" + mode + "@" + c) - d.limit(mode, c, 99));
                f.put(p + "ours-" + mode + ".over-baseline.p50", d.p50("ours-" + mode + "@" + c) / d.p50("baseline@" + c));
            }
        }
        f.put("cpu-ms.cold", d.appCpuMs("ours-cold@" + d.top));
        f.put("cpu-ms.warm", d.appCpuMs("ours-warm@" + d.top));
        f.put("cpu-ms.metadata", d.appCpuMs("metadata@" + d.top));
        if (d.res.sdkFloor != null) {
            f.put("sdk-loop-dynalite.thread-cpu-ms", d.res.sdkFloor.threadCpuMs());
        }
        for (Load.Result o : res.openLoop) {
            String p = o.name.replace("open-", "open.").replace("@", ".") + ".";
            f.put(p + "p50", o.p(50));
            f.put(p + "p99", o.p(99));
            f.put(p + "errors", o.errors);
        }
        if (!res.cascade.isEmpty()) {
            f.put("cascade.errors", res.cascade.stream().mapToLong(r -> r.ours.errors).sum());
            f.put("cascade.worst-p99", res.cascade.stream().filter(r -> !r.mode.equals("healthy"))
                    .mapToDouble(r -> r.ours.p(99)).max().orElse(Double.NaN));
        }
        pipeline(f, "ours", res.appBurst);
        pipeline(f, "limit", res.limitBurst);
        if (res.appBurst != null && res.limitBurst != null) {
            double capped = Math.min(d.rekognitionTps(), res.limitBurst.imagesPerSecond());
            f.put("pipeline.limit-capped.images-per-s", capped);
            f.put("pipeline.ratio-capped", res.appBurst.imagesPerSecond() / capped);
        }
        if (res.appLight != null) {
            f.put("pipeline.light.p50", res.appLight.p(50));
            f.put("pipeline.light.p99", res.appLight.p(99));
        }
        f.put("start.ready-median", d.readyMedian());
        f.put("start.aot-median", start.get("start.aot-median"));
        if (res.idleRssKb > 0) {
            f.put("rss.idle-mb", res.idleRssKb / 1024.0);
        }
        if (!res.rssUnderLoadKb.isEmpty()) {
            f.put("rss.load-median-mb", d.rssMedianMb());
            f.put("rss.load-max-mb", d.rssMaxMb());
            f.put("threads.max", res.threadsUnderLoadMax);
        }
        long[] heap = FootprintSection.heap(res.heapInfo);
        if (heap[0] >= 0) {
            f.put("heap.committed-mb", heap[0] / 1024.0);
            f.put("heap.used-mb", heap[1] / 1024.0);
        }
        FootprintSection.nmt(res.nmt).forEach((k, v) -> f.put("nmt." + k, v / 1024.0));
        return f;
    }

    private static void pipeline(Figures f, String name, Pipeline.Result r) {
        if (r == null) {
            return;
        }
        f.put("pipeline." + name + ".images-per-s", r.imagesPerSecond());
        f.put("pipeline." + name + ".calls-per-image", r.callsPerImage());
        r.operations.keySet().forEach(op -> f.put("pipeline." + name + ".calls." + op, r.callsPerImage(op)));
    }
}
