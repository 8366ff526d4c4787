package digiads.bench;

import java.time.*;
import java.util.*;
import java.util.function.ToDoubleFunction;

import digiads.bench.Floor.*;

/** What templates/bench-floor.mustache reads of a floor run ({@link Floor}). */
final class FloorReport {

    /** The app's CPU targets per request, as the full suite states them (LatencySection). */
    final double targetWarm = LatencySection.CPU_WARM_MS;
    final double targetMetadata = LatencySection.CPU_METADATA_MS;
    final double targetCold = LatencySection.CPU_COLD_MS;
    /** The full suite's floor on moto (calling thread, 32 threads, unpinned), its report of 2026-11-28; it runs on dynalite since. */
    final String suiteFloor = "2.11";
    /** A client this much cheaper than the app's (process CPU less JIT at both thread counts) is recommended. */
    static final double CLEARLY = 0.15;
    final long clearly = Math.round(CLEARLY * 100);

    final Floor.Orchestrator o;
    final Floor.Settings s;
    private final Map<Cell, List<Measured>> byCell = new LinkedHashMap<>();
    final Instant now = Instant.now();
    final int top;
    final int low;
    final Cheapest best;
    final Cheapest lowBest;
    final String apache;
    final String apacheLow;
    final String lowChange;
    final boolean clear;
    private final double apacheMs;
    private final double dealsMs;

    /** The cheapest SDK client (process CPU less JIT against the static keep-alive server) at a thread count. */
    record Cheapest(Kind kind, String name, String ms, String change) {
    }

    record Row(Cell cell, String thread, String process, String jit, String steady, String rps, String core,
               long errors, String firstError) {
    }

    record TargetRow(String name, double target, String calls, String apache, String best) {
    }

    FloorReport(Floor.Orchestrator o) {
        this.o = o;
        this.s = o.s;
        o.runs.forEach(r -> byCell.computeIfAbsent(r.cell(), c -> new ArrayList<>()).add(r.m()));
        top = s.threads().stream().mapToInt(Integer::intValue).max().orElse(1);
        low = s.threads().stream().mapToInt(Integer::intValue).min().orElse(1);
        apacheMs = steady(Kind.APACHE, top);
        dealsMs = steady(Kind.DEALS, top);
        double apacheLowMs = steady(Kind.APACHE, low);
        best = cheapest(top, apacheMs);
        lowBest = cheapest(low, apacheLowMs);
        apache = f(apacheMs);
        apacheLow = f(apacheLowMs);
        double bestMs = steady(best.kind, top);
        double bestAtLow = steady(best.kind, low);
        lowChange = pct(bestAtLow / apacheLowMs - 1);
        clear = best.kind != Kind.APACHE && bestMs <= apacheMs * (1 - CLEARLY) && bestAtLow <= apacheLowMs * (1 - CLEARLY);
    }

    String generated() {
        return Modes.utc(now);
    }

    double minutes() {
        return Duration.between(o.began, now).toMillis() / 60000.0;
    }

    String apacheAll() {
        return f(med(new Cell(Kind.APACHE, Target.STATIC, top), Measured::processCpuMs));
    }

    String apacheThread() {
        return f(med(new Cell(Kind.APACHE, Target.STATIC, top), Measured::threadCpuMs));
    }

    String deals() {
        return f(dealsMs);
    }

    String moto() {
        return f(med(new Cell(Kind.APACHE, Target.MOTO, top), Measured::threadCpuMs));
    }

    String motoProcess() {
        return f(med(new Cell(Kind.APACHE, Target.MOTO, top), Measured::steadyCpuMs));
    }

    String flags() {
        return String.join(" ", o.jvmFlags).replace(s.repo() + "/", "");
    }

    double warmupMin() {
        return o.runs.stream().mapToDouble(r -> r.m().warmupSeconds()).min().orElse(0);
    }

    double warmupMax() {
        return o.runs.stream().mapToDouble(r -> r.m().warmupSeconds()).max().orElse(0);
    }

    int reps() {
        return o.runs.stream().mapToInt(Floor.Run::rep).max().orElse(0);
    }

    String threads() {
        return s.threads().toString().replace("[", "").replace("]", "");
    }

    String loads() {
        return String.join("; ", o.loads) + (o.quietWaited.isEmpty() ? "" : "; " + o.quietWaited);
    }

    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        byCell.forEach((c, ms) -> rows.add(new Row(c, spread(ms, Measured::threadCpuMs, 3),
                spread(ms, Measured::processCpuMs, 3), Md.fmt("%.3f", median(ms, Measured::jitCpuMs)),
                spread(ms, Measured::steadyCpuMs, 3), spread(ms, Measured::rps, 0),
                Md.fmt("%.0f %%", median(ms, Measured::busy) * 100), ms.stream().mapToLong(Measured::errors).sum(),
                ms.stream().map(Measured::firstError).filter(Objects::nonNull).findFirst().orElse(null))));
        return rows;
    }

    List<TargetRow> targets() {
        double bestMs = steady(best.kind, top);
        return List.of(target("getMetadata", targetMetadata, 0, bestMs), target("warm getDigiAds", targetWarm, 0, bestMs),
                target("cold getDigiAds", targetCold, 3, bestMs));
    }

    private TargetRow target(String name, double target, int dealsCalls, double bestMs) {
        double a = apacheMs + dealsCalls * dealsMs;
        double b = bestMs + dealsCalls * dealsMs;
        return new TargetRow(name, target, dealsCalls == 0 ? "1 GetItem" : "1 GetItem, 3 Deals GETs",
                Md.fmt("%s ms, %.0f %% of it", f(a), a / target * 100), Md.fmt("%s ms, %.0f %% of it", f(b), b / target * 100));
    }

    String shares() {
        return Md.fmt("%.0f %% of getMetadata's target and %.0f %% of warm getDigiAds'; with 3 Deals GETs, %.0f %% of "
                + "cold getDigiAds'", apacheMs / targetMetadata * 100, apacheMs / targetWarm * 100,
                (apacheMs + 3 * dealsMs) / targetCold * 100);
    }

    boolean mostLeft() {
        return apacheMs / targetMetadata < 0.5;
    }

    String cpu() {
        return Bench.cpuModel();
    }

    int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    String os() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + ")";
    }

    String jvm() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }

    String sdk() {
        return software.amazon.awssdk.core.util.VersionInfo.SDK_VERSION;
    }

    String commit() {
        return Bench.command(s.repo(), "git", "log", "-1", "--format=%h %cd", "--date=format:%Y-%m-%d");
    }

    private Cheapest cheapest(int threads, double apacheMs) {
        Cheapest best = new Cheapest(Kind.APACHE, Kind.APACHE.shortName, f(Double.NaN), pct(Double.NaN));
        double bestMs = Double.NaN;
        for (Kind k : Kind.values()) {
            double ms = steady(k, threads);
            if (k != Kind.DEALS && !Double.isNaN(ms) && (Double.isNaN(bestMs) || ms < bestMs)) {
                bestMs = ms;
                best = new Cheapest(k, k.shortName, f(ms), pct(ms / apacheMs - 1));
            }
        }
        return best;
    }

    private double steady(Kind kind, int threads) {
        return med(new Cell(kind, Target.STATIC, threads), Measured::steadyCpuMs);
    }

    private double med(Cell c, ToDoubleFunction<Measured> f) {
        List<Measured> ms = byCell.get(c);
        return ms == null ? Double.NaN : median(ms, f);
    }

    private static double median(List<Measured> ms, ToDoubleFunction<Measured> f) {
        return Results.median(ms.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).toArray());
    }

    private static String spread(List<Measured> ms, ToDoubleFunction<Measured> f, int decimals) {
        double[] v = ms.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).sorted().toArray();
        String fmt = "%." + decimals + "f";
        return v.length == 0 ? "–" : v.length == 1 ? Md.fmt(fmt, v[0])
                : Md.fmt(fmt + " (" + fmt + "–" + fmt + ")", median(ms, f), v[0], v[v.length - 1]);
    }

    private static String f(double ms) {
        return Double.isNaN(ms) ? "–" : Md.fmt(ms < 1 ? "%.2f" : "%.1f", ms);
    }

    private static String pct(double change) {
        return Double.isNaN(change) ? "–" : Md.fmt("%+.0f %%", change * 100).replace("-", "−");
    }
}
