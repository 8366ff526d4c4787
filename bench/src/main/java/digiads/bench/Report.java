package digiads.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static digiads.bench.Md.f;
import static digiads.bench.Md.f1;
import static digiads.bench.Md.fmt;
import static digiads.bench.Md.ratio;
import static digiads.bench.Md.signed;

/**
 * Writes docs/benchmarks.md from one run's results (templates/benchmarks.mustache, which reads this class's
 * fields and methods), and the run's headline figures (bench-results.json) beside it: the summary, the
 * targets and the machine here; each measured section in a class of its own ({@link LatencySection},
 * {@link OpenLoopSection}, {@link CascadeSection}, {@link PipelineSection}, {@link FootprintSection},
 * {@link ProfileSection}), all reading {@link ReportData}.
 */
final class Report {

    final ReportData d;
    final Config cfg;
    final Results res;
    final Figures previous;
    final int top;
    /** The measured sections, rendered first: they add the targets they check. */
    final String sections;

    private Report(ReportData d) {
        this.d = d;
        this.cfg = d.cfg;
        this.res = d.res;
        this.previous = d.previous;
        this.top = d.top;
        this.sections = (LatencySection.render(d) + OpenLoopSection.render(d) + CascadeSection.render(d)
                + PipelineSection.render(d) + FootprintSection.render(d) + ProfileSection.render(d)).stripTrailing();
    }

    /**
     * Reads the previous run's figures (docs/bench-results.json: the last full run's), writes the report and
     * this run's figures next to it (in docs/ for a full run, replacing the previous ones).
     */
    static void write(Config cfg, Results res) throws IOException {
        Path out = cfg.docs.resolve(Figures.FILE);
        Figures previous = Figures.read(cfg.repo.resolve("docs").resolve(Figures.FILE));
        Path start = cfg.docs.resolve(Figures.START_FILE);
        ReportData d = new ReportData(cfg, res, previous,
                Figures.read(Files.isRegularFile(start) ? start : cfg.repo.resolve("docs").resolve(Figures.START_FILE)));
        Files.writeString(cfg.docs.resolve("benchmarks.md"), Md.render("benchmarks", new Report(d)));
        Figures.of(d, d.start).write(out);
    }

    // ---- what the template reads --------------------------------------------------------------------

    String generated() {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").format(res.began.atOffset(ZoneOffset.UTC));
    }

    double minutes() {
        return Duration.between(res.began, res.ended).toMillis() / 60000.0;
    }

    /** The share of a core processes outside the suite used in the measured windows, mean and max (%). */
    double otherAvg() {
        return d.allRuns().stream().mapToDouble(r -> r.cpu.of("other")).average().orElse(0) * 100;
    }

    double otherMax() {
        return d.allRuns().stream().mapToDouble(r -> r.cpu.of("other")).max().orElse(0) * 100;
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
        return OpenLoop.SENDERS;
    }

    List<String> openLoopShares() {
        return java.util.Arrays.stream(cfg.openLoopShares).mapToObj(s -> Math.round(s * 100) + " %").toList();
    }

    String targetTable() {
        Md.Table t = new Md.Table("Target", "Measured", "Previous", "", "Likely cause of a miss");
        d.targets.forEach(x -> t.row((Object[]) x));
        return t.toString().stripTrailing();
    }

    String machineTable() {
        Md.Table t = new Md.Table("", "");
        res.machine.forEach(t::row);
        return t.toString().stripTrailing();
    }

    String summary() {
        Md.Table t = new Md.Table("", "now", "previous");
        if (res.runs.containsKey("ours-cold@" + top)) {
            for (int c : d.cfg.concurrency) {
                String p = "c" + c + ".";
                t.row(fmt("getDigiAds ours/baseline p50 at %d %s, cold / warm", c, c == 1 ? "client" : "clients"),
                        ratio(d.p50("ours-cold@" + c) / d.p50("baseline@" + c)) + " / "
                                + ratio(d.p50("ours-warm@" + c) / d.p50("baseline@" + c)),
                        ratio(d.previous.get(p + "ours-cold.over-baseline.p50")) + " / "
                                + ratio(d.previous.get(p + "ours-warm.over-baseline.p50")));
            }
            for (int c : d.cfg.concurrency) {
                String p = "c" + c + ".";
                t.row(fmt("getDigiAds ours − limit p50 at %d %s (ms), cold / warm", c, c == 1 ? "client" : "clients"),
                        signed(d.p50("ours-cold@" + c) - d.limitCold(c, 50)) + " / "
                                + signed(d.p50("ours-warm@" + c) - d.limitWarm(c, 50)),
                        signed(d.previous.get(p + "ours-cold.minus-limit.p50")) + " / "
                                + signed(d.previous.get(p + "ours-warm.minus-limit.p50")));
            }
            String p = "c" + top + ".";
            t.row(fmt("getDigiAds at %d clients, cold p50 / p99 (ms) [limit]", top), f(d.p50("ours-cold@" + top)) + " / "
                            + f(d.p99("ours-cold@" + top)) + " [" + f(d.limitCold(top, 50)) + " / " + f(d.limitCold(top, 99)) + "]",
                    d.was(p + "ours-cold.p50") + " / " + d.was(p + "ours-cold.p99") + " [" + d.was(p + "limit-cold.p50")
                            + " / " + d.was(p + "limit-cold.p99") + "]");
            t.row(fmt("getDigiAds at %d clients, warm p50 / p99 (ms) [limit]", top), f(d.p50("ours-warm@" + top)) + " / "
                            + f(d.p99("ours-warm@" + top)) + " [" + f(d.limitWarm(top, 50)) + " / " + f(d.limitWarm(top, 99)) + "]",
                    d.was(p + "ours-warm.p50") + " / " + d.was(p + "ours-warm.p99") + " [" + d.was(p + "limit-warm.p50")
                            + " / " + d.was(p + "limit-warm.p99") + "]");
            t.row(fmt("app CPU ms per request at %d clients: getDigiAds cold / warm, getMetadata", top),
                    f(d.appCpuMs("ours-cold@" + top)) + " / " + f(d.appCpuMs("ours-warm@" + top)) + ", "
                            + f(d.appCpuMs("metadata@" + top)),
                    d.was("cpu-ms.cold") + " / " + d.was("cpu-ms.warm") + ", " + d.was("cpu-ms.metadata"));
            if (res.sdkFloor != null) {
                t.row(fmt("the floor: CPU ms per plain SDK GetItem at %d threads, calling thread only (see Method)", top),
                        f(res.sdkFloor.threadCpuMs()), d.was("sdk-floor.thread-cpu-ms"));
            }
        }
        for (OpenLoop.Result o : res.openLoop) {
            String key = o.name.replace("open-", "open.").replace("@", ".");
            t.row(fmt("open loop, %s cache at %.0f %% of max (%s req/s): p50 / p99 (ms), errors",
                            o.name.contains("cold") ? "cold" : "warm", o.share * 100, f1(o.intendedRate)),
                    f(o.p(50)) + " / " + f(o.p(99)) + ", " + o.errors,
                    d.was(key + ".p50") + " / " + d.was(key + ".p99") + ", " + count(d.previous.get(key + ".errors")));
        }
        if (!res.cascade.isEmpty()) {
            long errors = res.cascade.stream().mapToLong(r -> r.ours.errors).sum();
            double worst = res.cascade.stream().filter(r -> !r.mode.equals("healthy")).mapToDouble(r -> r.ours.p(99))
                    .max().orElse(Double.NaN);
            long baseErrors = res.cascade.stream().filter(r -> !r.mode.equals("healthy")).mapToLong(r -> r.baseline.errors).sum();
            long baseCount = res.cascade.stream().filter(r -> !r.mode.equals("healthy")).mapToLong(r -> r.baseline.count).sum();
            t.row("Deals failures: ours' errors, worst failure-mode p99 (ms); the baseline's failed share",
                    errors + ", " + f(worst) + "; " + Md.pct(baseCount == 0 ? Double.NaN : baseErrors / (double) baseCount),
                    count(d.previous.get("cascade.errors")) + ", " + d.was("cascade.worst-p99"));
        }
        if (res.appBurst != null && res.limitBurst != null) {
            t.row("pipeline images/s: ours / limit loop / limit capped at the Rekognition pace",
                    f1(res.appBurst.imagesPerSecond()) + " / " + f1(res.limitBurst.imagesPerSecond()) + " / "
                            + f1(Math.min(d.rekognitionTps(), res.limitBurst.imagesPerSecond())),
                    d.was("pipeline.ours.images-per-s") + " / " + d.was("pipeline.limit.images-per-s") + " / "
                            + d.was("pipeline.limit-capped.images-per-s"));
            t.row("pipeline AWS calls per image: ours / limit loop", f1(res.appBurst.callsPerImage()) + " / "
                    + f1(res.limitBurst.callsPerImage()), d.was("pipeline.ours.calls-per-image") + " / "
                    + d.was("pipeline.limit.calls-per-image"));
        }
        if (res.appLight != null) {
            t.row("S3 put → readable at light load, p50 / p99 (ms)", f(res.appLight.p(50) * 1000) + " / "
                    + f(res.appLight.p(99) * 1000), f(d.previous.get("pipeline.light.p50") * 1000) + " / "
                    + f(d.previous.get("pipeline.light.p99") * 1000));
        }
        t.row("ready after (s, median): jar as built · extracted + AOT cache (start mode)",
                f1(d.readyMedian()) + " · " + f(d.start.get("start.aot-median")),
                d.was("start.ready-median") + " · " + d.was("start.aot-median"));
        if (!res.rssUnderLoadKb.isEmpty()) {
            t.row("RSS idle · under " + top + " clients median / max (MB); threads max",
                    f(res.idleRssKb / 1024.0) + " · " + f(d.rssMedianMb()) + " / " + f(d.rssMaxMb()) + "; "
                            + res.threadsUnderLoadMax,
                    d.was("rss.idle-mb") + " · " + d.was("rss.load-median-mb") + " / " + d.was("rss.load-max-mb") + "; "
                            + d.was("threads.max"));
        }
        t.row("jar (MB)", f1(res.jarBytes / 1e6), "");
        return t.toString().stripTrailing();
    }

    private static String count(double v) {
        return Double.isNaN(v) ? "–" : Long.toString(Math.round(v));
    }
}
