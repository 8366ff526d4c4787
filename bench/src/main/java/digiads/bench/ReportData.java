package digiads.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import static digiads.bench.Md.f;
import static digiads.bench.Md.pct;

/**
 * What every section of docs/benchmarks.md reads: the run's results, the previous run's headline figures
 * (to print beside this run's), the metrics derived from the runs, and the targets table the sections add to.
 */
final class ReportData {

    final Config cfg;
    final Results res;
    /** The previous run's headline figures (docs/bench-results.json before this run), or empty. */
    final Figures previous;
    /** The start mode's figures ({@code bench/run.sh start}), or empty when it has not run. */
    final Figures start;
    /** The highest client count: the targets' and the memory figures' concurrency. */
    final int top;
    final List<String[]> targets = new ArrayList<>();

    ReportData(Config cfg, Results res, Figures previous, Figures start) {
        this.cfg = cfg;
        this.res = res;
        this.previous = previous;
        this.start = start;
        this.top = Bench.max(cfg.concurrency);
    }

    // ---- the runs ---------------------------------------------------------------------------------

    double med(String key, ToDoubleFunction<Load.Result> metric) {
        return res.median(key, metric);
    }

    double p50(String key) {
        return med(key, r -> r.p(50));
    }

    double p99(String key) {
        return med(key, r -> r.p(99));
    }

    double rps(String key) {
        return med(key, Load.Result::rps);
    }

    /** The cold limit at c clients: getMetadata alone plus one Deals round trip, both measured with c clients. */
    double limitCold(int c, double pct) {
        return med("metadata@" + c, r -> r.p(pct)) + med("deals-direct@" + c, r -> r.p(pct));
    }

    /** The warm limit at c clients: getMetadata alone with c clients. */
    double limitWarm(int c, double pct) {
        return med("metadata@" + c, r -> r.p(pct));
    }

    double limit(String mode, int c, double pct) {
        return mode.equals("cold") ? limitCold(c, pct) : limitWarm(c, pct);
    }

    /** The app's CPU time per request (ms) in a run, mean over the repetitions. */
    double appCpuMs(String key) {
        return res.cpu(key, "app") * 1000 / rps(key);
    }

    /** The part of {@link #appCpuMs} its JIT compiler threads used: compiling, i.e. warm-up, not serving. */
    double appJitMs(String key) {
        return res.cpu(key, Cpu.APP_JIT) * 1000 / rps(key);
    }

    String cpuOf(String key) {
        return Md.cpu(res.cpu(key, "app"), res.cpu(key, "moto"), res.cpu(key, "wiremock"), res.cpu(key, "bench"),
                res.cpu(key, "other"));
    }

    String live(String key) {
        Map<String, Long> tags = res.tags(key);
        long total = tags.values().stream().mapToLong(Long::longValue).sum();
        return total == 0 ? "–" : pct(tags.getOrDefault("LIVE", 0L) / (double) total);
    }

    static String statuses(Map<String, Long> tags) {
        if (tags.isEmpty()) {
            return "–";
        }
        StringBuilder sb = new StringBuilder();
        tags.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        return sb.toString();
    }

    double readyMedian() {
        return Results.median(res.starts.stream().mapToDouble(App.Start::ready).toArray());
    }

    double rssMaxMb() {
        return res.rssUnderLoadKb.stream().mapToLong(Long::longValue).max().orElse(-1) / 1024.0;
    }

    double rssMedianMb() {
        return Results.median(res.rssUnderLoadKb.stream().mapToDouble(v -> v / 1024.0).toArray());
    }

    double rekognitionTps() {
        try {
            return Double.parseDouble(res.appProps.getOrDefault("digiads.rekognition.tps", "NaN"));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Every closed-loop run with its CPU figures (latency and cascade). */
    List<Load.Result> allRuns() {
        List<Load.Result> all = new ArrayList<>();
        res.runs.values().forEach(all::addAll);
        res.cascade.forEach(c -> {
            all.add(c.ours);
            all.add(c.baseline);
        });
        all.removeIf(r -> r == null || r.cpu == null);
        return all;
    }

    // ---- previous run -----------------------------------------------------------------------------

    /** The previous run's figure, formatted like this run's, or "–". */
    String was(String key) {
        return f(previous.get(key));
    }

    /** "now (previous x)" for the prose. */
    String withWas(double now, String key) {
        double p = previous.get(key);
        return f(now) + (Double.isNaN(p) ? "" : " (previous " + f(p) + ")");
    }

    // ---- targets ----------------------------------------------------------------------------------

    void target(String name, String measured, String previousValue, boolean met, String note) {
        targets.add(new String[] {name, measured, previousValue, met ? "**met**" : "**missed**", note});
    }
}
