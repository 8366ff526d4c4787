package digiads.bench;

import java.io.IOException;
import java.nio.file.*;
import java.time.*;
import java.util.*;
import java.util.function.ToDoubleFunction;

import static digiads.bench.Md.f1;
import static digiads.bench.Md.f;
import static digiads.bench.Md.fmt;
import static digiads.bench.Md.pct;
import static digiads.bench.Md.ratio;
import static digiads.bench.Md.signed;

/**
 * docs/benchmarks.md (templates/benchmarks.mustache reads this) and bench-results.json beside it: the summary, targets,
 * machine and open loop here, each measured section in its own class ({@link LatencySection} and the others).
 */
final class Report {

    final Config cfg;
    final Results res;
    /** The previous run's headline figures (docs/bench-results.json before this run), or empty. */
    final Figures previous;
    /** The start mode's figures ({@code bench/run.sh start}), or empty when it has not run. */
    final Figures start;
    /** The highest client count: the targets' and the memory figures' concurrency. */
    final int top;
    final List<String[]> targets = new ArrayList<>();
    /** The measured sections, made first: they add the targets they check (null: the phase did not run). */
    final LatencySection latency;
    final String cascade;
    final PipelineSection pipeline;
    final String footprint;
    final ProfileSection profile;

    private Report(Config cfg, Results res, Figures previous, Figures start) {
        this.cfg = cfg;
        this.res = res;
        this.previous = previous;
        this.start = start;
        this.top = Bench.max(cfg.concurrency);
        this.latency = LatencySection.of(this);
        this.cascade = CascadeSection.of(this);
        this.pipeline = PipelineSection.of(this);
        this.profile = ProfileSection.of(this);
        this.footprint = FootprintSection.render(this).stripTrailing();
    }

    /**
     * Reads the previous run's figures (docs/bench-results.json: the last full run's), writes the report and
     * this run's figures next to it (in docs/ for a full run, replacing the previous ones).
     */
    static void write(Config cfg, Results res) throws IOException {
        Path out = cfg.docs.resolve(Figures.FILE);
        Figures previous = Figures.read(cfg.repo.resolve("docs").resolve(Figures.FILE));
        Path start = cfg.docs.resolve(Figures.START_FILE);
        Report report = new Report(cfg, res, previous,
                Figures.read(Files.isRegularFile(start) ? start : cfg.repo.resolve("docs").resolve(Figures.START_FILE)));
        Files.writeString(cfg.docs.resolve("benchmarks.md"), Md.conform(Md.render("benchmarks", report)));
        Figures.of(report, report.start).write(out);
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
        return tags.isEmpty() ? "–"
                : String.join(", ", tags.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
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

    // ---- targets ----------------------------------------------------------------------------------

    void target(String name, String measured, String previousValue, boolean met, String note) {
        targets.add(new String[] {name, measured, previousValue, met ? "**met**" : "**missed**", note});
    }

    // ---- what the template reads --------------------------------------------------------------------

    String generated() {
        return Modes.utc(res.began);
    }

    double minutes() {
        return Duration.between(res.began, res.ended).toMillis() / 60000.0;
    }

    /** The share of a core processes outside the suite used in the measured windows, mean and max (%). */
    double otherAvg() {
        return allRuns().stream().mapToDouble(r -> r.cpu.of("other")).average().orElse(0) * 100;
    }

    double otherMax() {
        return allRuns().stream().mapToDouble(r -> r.cpu.of("other")).max().orElse(0) * 100;
    }

    boolean disturbed() {
        return otherAvg() > 15;
    }

    boolean hasWarnings() {
        return !res.warnings.isEmpty();
    }

    String motoVersion() {
        return res.machine.getOrDefault("moto", "");
    }

    String dynaliteVersion() {
        return Service.dynaliteVersion(cfg);
    }

    boolean writeRateByArgs() {
        return cfg.appArgs.stream().anyMatch(arg -> arg.contains("write-rate"));
    }

    String writeRate() {
        return res.appProps.getOrDefault("digiads.security.write-rate.per-second", "?");
    }

    String writeBurst() {
        return res.appProps.getOrDefault("digiads.security.write-rate.burst", "?");
    }

    boolean longCascade() {
        return cfg.cascadeTrip.plus(cfg.cascadeWindow).toSeconds() > 10;
    }

    int senders() {
        return Load.SENDERS;
    }

    List<String> openLoopShares() {
        return java.util.Arrays.stream(cfg.openLoopShares).mapToObj(s -> Math.round(s * 100) + " %").toList();
    }

    /** Section 2: getDigiAds at fixed arrival rates, latency from the intended send time; null when it did not run. */
    String openLoop() {
        if (res.openLoop.isEmpty()) {
            return null;
        }
        Md.Table t = new Md.Table("ours", "rate", "intended req/s", "achieved req/s", "requests", "p50", "p90", "p99", "max",
                "errors", "answers", "CPU %", "previous p50 / p99");
        for (Load.Result o : res.openLoop) {
            String key = o.name.replace("open-", "open.").replace("@", ".");
            t.row(o.name.contains("cold") ? "cold cache" : "warm cache", Math.round(o.share * 100) + " % of max",
                    f1(o.intendedRate), f1(o.achievedRate()), o.intended, f(o.p(50)), f(o.p(90)), f(o.p(99)), f(o.max()),
                    o.errors, statuses(o.tags), Md.cpu(o.cpu), was(key + ".p50") + " / " + was(key + ".p99"));
        }
        return t.md();
    }

    String cascadeTrip() {
        return CascadeSection.trip(this);
    }

    String targetTable() {
        Md.Table t = new Md.Table("Target", "Measured", "Previous", "", "Likely cause of a miss");
        targets.forEach(x -> t.row((Object[]) x));
        return t.md();
    }

    String machineTable() {
        Md.Table t = new Md.Table("", "");
        res.machine.forEach(t::row);
        return t.md();
    }

    String summary() {
        Md.Table t = new Md.Table("", "now", "previous");
        if (res.runs.containsKey("ours-cold@" + top)) {
            for (int c : cfg.concurrency) {
                String p = "c" + c + ".";
                t.row(fmt("getDigiAds ours/baseline p50 at %d %s, cold / warm", c, c == 1 ? "client" : "clients"),
                        ratio(p50("ours-cold@" + c) / p50("baseline@" + c)) + " / "
                                + ratio(p50("ours-warm@" + c) / p50("baseline@" + c)),
                        ratio(previous.get(p + "ours-cold.over-baseline.p50")) + " / "
                                + ratio(previous.get(p + "ours-warm.over-baseline.p50")));
            }
            for (int c : cfg.concurrency) {
                String p = "c" + c + ".";
                t.row(fmt("getDigiAds ours − limit p50 at %d %s (ms), cold / warm", c, c == 1 ? "client" : "clients"),
                        signed(p50("ours-cold@" + c) - limitCold(c, 50)) + " / "
                                + signed(p50("ours-warm@" + c) - limitWarm(c, 50)),
                        signed(previous.get(p + "ours-cold.minus-limit.p50")) + " / "
                                + signed(previous.get(p + "ours-warm.minus-limit.p50")));
            }
            String p = "c" + top + ".";
            t.row(fmt("getDigiAds at %d clients, cold p50 / p99 (ms) [limit]", top), f(p50("ours-cold@" + top)) + " / "
                            + f(p99("ours-cold@" + top)) + " [" + f(limitCold(top, 50)) + " / " + f(limitCold(top, 99)) + "]",
                    was(p + "ours-cold.p50") + " / " + was(p + "ours-cold.p99") + " [" + was(p + "limit-cold.p50")
                            + " / " + was(p + "limit-cold.p99") + "]");
            t.row(fmt("getDigiAds at %d clients, warm p50 / p99 (ms) [limit]", top), f(p50("ours-warm@" + top)) + " / "
                            + f(p99("ours-warm@" + top)) + " [" + f(limitWarm(top, 50)) + " / " + f(limitWarm(top, 99)) + "]",
                    was(p + "ours-warm.p50") + " / " + was(p + "ours-warm.p99") + " [" + was(p + "limit-warm.p50")
                            + " / " + was(p + "limit-warm.p99") + "]");
            t.row(fmt("app CPU ms per request at %d clients: getDigiAds cold / warm, getMetadata", top),
                    f(appCpuMs("ours-cold@" + top)) + " / " + f(appCpuMs("ours-warm@" + top)) + ", "
                            + f(appCpuMs("metadata@" + top)),
                    was("cpu-ms.cold") + " / " + was("cpu-ms.warm") + ", " + was("cpu-ms.metadata"));
            if (res.sdkFloor != null) {
                t.row(fmt("a plain SDK GetItem loop against dynalite: CPU ms per call at %d threads, calling thread only "
                        + "(see Method)", top), f(res.sdkFloor.threadCpuMs()), was("sdk-loop-dynalite.thread-cpu-ms"));
            }
        }
        for (Load.Result o : res.openLoop) {
            String key = o.name.replace("open-", "open.").replace("@", ".");
            t.row(fmt("open loop, %s cache at %.0f %% of max (%s req/s): p50 / p99 (ms), errors",
                            o.name.contains("cold") ? "cold" : "warm", o.share * 100, f1(o.intendedRate)),
                    f(o.p(50)) + " / " + f(o.p(99)) + ", " + o.errors,
                    was(key + ".p50") + " / " + was(key + ".p99") + ", " + count(previous.get(key + ".errors")));
        }
        if (!res.cascade.isEmpty()) {
            long errors = res.cascade.stream().mapToLong(r -> r.ours.errors).sum();
            double worst = res.cascade.stream().filter(r -> !r.mode.equals("healthy")).mapToDouble(r -> r.ours.p(99))
                    .max().orElse(Double.NaN);
            long baseErrors = res.cascade.stream().filter(r -> !r.mode.equals("healthy")).mapToLong(r -> r.baseline.errors).sum();
            long baseCount = res.cascade.stream().filter(r -> !r.mode.equals("healthy")).mapToLong(r -> r.baseline.count).sum();
            t.row("Deals failures: ours' errors, worst failure-mode p99 (ms); the baseline's failed share",
                    errors + ", " + f(worst) + "; " + Md.pct(baseCount == 0 ? Double.NaN : baseErrors / (double) baseCount),
                    count(previous.get("cascade.errors")) + ", " + was("cascade.worst-p99"));
        }
        if (res.appBurst != null && res.limitBurst != null) {
            t.row("pipeline images/s: ours / limit loop / limit capped at the Rekognition pace",
                    f1(res.appBurst.imagesPerSecond()) + " / " + f1(res.limitBurst.imagesPerSecond()) + " / "
                            + f1(Math.min(rekognitionTps(), res.limitBurst.imagesPerSecond())),
                    was("pipeline.ours.images-per-s") + " / " + was("pipeline.limit.images-per-s") + " / "
                            + was("pipeline.limit-capped.images-per-s"));
            t.row("pipeline AWS calls per image: ours / limit loop", f1(res.appBurst.callsPerImage()) + " / "
                    + f1(res.limitBurst.callsPerImage()), was("pipeline.ours.calls-per-image") + " / "
                    + was("pipeline.limit.calls-per-image"));
        }
        if (res.appLight != null) {
            t.row("S3 put → readable at light load, p50 / p99 (ms)", f(res.appLight.p(50) * 1000) + " / "
                    + f(res.appLight.p(99) * 1000), f(previous.get("pipeline.light.p50") * 1000) + " / "
                    + f(previous.get("pipeline.light.p99") * 1000));
        }
        t.row("ready after (s, median): jar as built · extracted + AOT cache (start mode)",
                f1(readyMedian()) + " · " + f(start.get("start.aot-median")),
                was("start.ready-median") + " · " + was("start.aot-median"));
        if (!res.rssUnderLoadKb.isEmpty()) {
            t.row("RSS idle · under " + top + " clients median / max (MB); threads max",
                    f(res.idleRssKb / 1024.0) + " · " + f(rssMedianMb()) + " / " + f(rssMaxMb()) + "; "
                            + res.threadsUnderLoadMax,
                    was("rss.idle-mb") + " · " + was("rss.load-median-mb") + " / " + was("rss.load-max-mb") + "; "
                            + was("threads.max"));
        }
        t.row("jar (MB)", f1(res.jarBytes / 1e6), "");
        return t.md();
    }

    private static String count(double v) {
        return Double.isNaN(v) ? "–" : Long.toString(Math.round(v));
    }
}
