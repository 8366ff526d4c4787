package digiads.bench;

import java.util.*;

import static digiads.bench.Md.f1;
import static digiads.bench.Md.f;
import static digiads.bench.Md.fmt;
import static digiads.bench.Md.ratio;

/** Section 4: the pipeline, S3 put → metadata readable, ours against a plain SDK loop, with its AWS calls. */
final class PipelineSection {

    static final double RATIO_TARGET = 0.9;
    static final double CALLS_TARGET = 5.5;
    static final double LIGHT_P50_TARGET_S = 0.03;

    private final Report d;
    final Results res;
    final String table;
    final double ratio;
    final double tps;
    final double capped;
    final double cappedRatio;

    private PipelineSection(Report d) {
        this.d = d;
        this.res = d.res;
        Md.Table t = new Md.Table("run", "images", "readable", "put phase (s)", "all readable after (s)", "images/s",
                "put→readable p50 (s)", "p99 (s)", "max (s)", "p50 hops (ms)", "AWS calls per image", "CPU %",
                "previous");
        for (Pipeline.Result r : new Pipeline.Result[] {res.appLight, res.limitLight, res.appBurst, res.limitBurst}) {
            if (r == null) {
                continue;
            }
            String prev = r == res.appBurst ? d.was("pipeline.ours.images-per-s") + " · " + d.was("pipeline.ours.calls-per-image")
                    : r == res.limitBurst ? d.was("pipeline.limit.images-per-s") + " · " + d.was("pipeline.limit.calls-per-image")
                    : "";
            t.row(r.name, r.images, r.readable + (r.rejected > 0 ? " (" + r.rejected + " not LABELED)" : ""), f(r.putSeconds),
                    f(r.seconds), f1(r.imagesPerSecond()), f(r.p(50)), f(r.p(99)), f(r.latency.getMaxValue() / 1e6),
                    f(r.labeledP(50) * 1000) + " · " + f(r.storedP(50) * 1000), f1(r.callsPerImage()), Md.cpu(r.cpu), prev);
        }
        table = t.md();
        ratio = res.limitBurst == null ? Double.NaN : res.appBurst.imagesPerSecond() / res.limitBurst.imagesPerSecond();
        tps = d.rekognitionTps();
        capped = res.limitBurst == null ? Double.NaN : Math.min(tps, res.limitBurst.imagesPerSecond());
        cappedRatio = res.appBurst.imagesPerSecond() / capped;
        targets(d, cappedRatio, capped, tps);
    }

    /** Section 4 (templates/benchmarks.mustache reads it), its targets added; null when the pipeline did not run. */
    static PipelineSection of(Report d) {
        return d.res.appBurst == null ? null : new PipelineSection(d);
    }

    /** Whether the report can set ours against the limit capped at the Rekognition pace. */
    boolean paced() {
        return !Double.isNaN(tps) && res.limitBurst != null;
    }

    /** The calls per image by operation, ours and the limit loop's, burst and light load. */
    String operations() {
        TreeSet<String> ops = new TreeSet<>();
        for (Pipeline.Result r : new Pipeline.Result[] {res.appLight, res.limitLight, res.appBurst, res.limitBurst}) {
            if (r != null) {
                ops.addAll(r.operations.keySet());
            }
        }
        if (ops.isEmpty()) {
            return null;
        }
        Md.Table t = new Md.Table("operation", "ours", "limit", "ours light", "limit light", "previous ours · limit");
        for (String op : ops) {
            t.row(op, per(res.appBurst, op), per(res.limitBurst, op), per(res.appLight, op), per(res.limitLight, op),
                    d.was("pipeline.ours.calls." + op) + " · " + d.was("pipeline.limit.calls." + op));
        }
        t.row("**all**", f1(res.appBurst.callsPerImage()), res.limitBurst == null ? "–" : f1(res.limitBurst.callsPerImage()),
                res.appLight == null ? "–" : f1(res.appLight.callsPerImage()),
                res.limitLight == null ? "–" : f1(res.limitLight.callsPerImage()),
                d.was("pipeline.ours.calls-per-image") + " · " + d.was("pipeline.limit.calls-per-image"));
        return t.md();
    }

    private static String per(Pipeline.Result r, String op) {
        return r == null ? "–" : ratio(r.callsPerImage(op));
    }

    private static void targets(Report d, double cappedRatio, double capped, double tps) {
        Results res = d.res;
        Pipeline.Result ours = res.appBurst;
        String why = "";
        if (!(cappedRatio >= RATIO_TARGET)) {
            Cpu.Usage u = ours.cpu;
            double moto = u.of("moto");
            why = fmt("the app makes %s AWS calls per image against the limit loop's %s (%s); moto serves every call but DynamoDB's from "
                            + "one Python process, which ran at %.0f %% of one core during our run (machine %.0f %% of 200 %%: "
                            + "app %.0f, load generator %.0f, other %.0f)%s",
                    f1(ours.callsPerImage()), res.limitBurst == null ? "–" : f1(res.limitBurst.callsPerImage()),
                    extraCalls(ours, res.limitBurst), moto * 100, u.machineCores() * 100, u.of("app") * 100,
                    u.of("bench") * 100, u.of("other") * 100,
                    moto >= 0.75 ? ": the emulator is near its own ceiling, so images/s follow the calls made per image" : "");
        }
        d.target("pipeline ≥ " + RATIO_TARGET + " × the limit loop capped at the same Rekognition pace (images/s)",
                fmt("%s vs %s images/s (limit %s, capped at %s calls/s) = %s", f1(ours.imagesPerSecond()), f1(capped),
                        res.limitBurst == null ? "–" : f1(res.limitBurst.imagesPerSecond()), f1(tps), ratio(cappedRatio)),
                ratio(d.previous.get("pipeline.ratio-capped")), cappedRatio >= RATIO_TARGET, why);
        double calls = ours.callsPerImage();
        d.target("AWS calls per image ≤ " + CALLS_TARGET + " (with moderation)", f1(calls) + " (limit loop "
                        + (res.limitBurst == null ? "–" : f1(res.limitBurst.callsPerImage())) + ")",
                d.was("pipeline.ours.calls-per-image"), calls <= CALLS_TARGET,
                calls <= CALLS_TARGET ? "" : "beyond the limit loop's: " + extraCalls(ours, res.limitBurst));
        if (res.appLight != null) {
            double p50 = res.appLight.p(50);
            boolean met = p50 <= LIGHT_P50_TARGET_S;
            d.target("S3 put → readable p50 ≤ " + f(LIGHT_P50_TARGET_S * 1000) + " ms at light load",
                    f(p50 * 1000) + " ms (p99 " + f(res.appLight.p(99) * 1000) + " ms; limit loop "
                            + (res.limitLight == null ? "–" : f(res.limitLight.p(50) * 1000)) + " ms)",
                    f(d.previous.get("pipeline.light.p50") * 1000) + " ms", met,
                    met ? "" : "p50 put → labeled " + f(res.appLight.labeledP(50) * 1000) + " ms, labeled → readable "
                            + f(res.appLight.storedP(50) * 1000) + " ms" + (res.limitLight == null ? "" : " (limit loop "
                            + f(res.limitLight.labeledP(50) * 1000) + " · " + f(res.limitLight.storedP(50) * 1000) + " ms)")
                            + ": each hop waits for its queue's receive, and ours makes "
                            + f1(res.appLight.callsPerImage()) + " calls per image at light load against the loop's "
                            + (res.limitLight == null ? "–" : f1(res.limitLight.callsPerImage()))
                            + " (the sniffing GET and the stored-state read before labeling, the live updates)");
        }
    }

    /** The operations ours makes more of per image than the limit loop, largest difference first. */
    private static String extraCalls(Pipeline.Result ours, Pipeline.Result limit) {
        if (limit == null || ours.operations.isEmpty()) {
            return "no breakdown";
        }
        List<String[]> diffs = new ArrayList<>();
        TreeSet<String> ops = new TreeSet<>(ours.operations.keySet());
        ops.addAll(limit.operations.keySet());
        for (String op : ops) {
            double extra = ours.callsPerImage(op) - limit.callsPerImage(op);
            if (extra >= 0.05) {
                diffs.add(new String[] {op, ratio(extra)});
            }
        }
        diffs.sort((a, b) -> Double.compare(Double.parseDouble(b[1]), Double.parseDouble(a[1])));
        List<String> parts = diffs.stream().map(x -> x[0] + " +" + x[1]).toList();
        return parts.isEmpty() ? "no operation more often than the loop" : "per image more than the loop: " + String.join(", ", parts);
    }
}
