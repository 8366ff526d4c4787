package digiads.bench;

import java.util.Map;

import static digiads.bench.Md.f1;
import static digiads.bench.Md.f;
import static digiads.bench.Md.fmt;

/** The JFR profile of a separate start of the app under the top client count. */
final class ProfileSection {

    final Jfr j;
    final Load.Result cold;
    final Load.Result warm;
    final String recording;
    /** The share of a core other processes used meanwhile (%), NaN without CPU figures. */
    final double otherPct;

    private ProfileSection(Report d) {
        Results res = d.res;
        j = res.jfr;
        cold = res.jfrCold;
        warm = res.jfrWarm;
        recording = d.cfg.repo.relativize(res.jfrFile).toString();
        otherPct = cold.cpu == null || warm.cpu == null ? Double.NaN : (cold.cpu.of("other") + warm.cpu.of("other")) / 2 * 100;
    }

    /** The profile (templates/benchmarks.mustache reads it); null without a recording. */
    static ProfileSection of(Report d) {
        return d.res.jfr == null ? null : new ProfileSection(d);
    }

    boolean hasOther() {
        return !Double.isNaN(otherPct);
    }

    boolean profileDisturbed() {
        return otherPct > 30;
    }

    double jvmCpuPct() {
        return j.jvmCpu * 100;
    }

    double machineCpuPct() {
        return j.machineCpu * 100;
    }

    double compilePct() {
        return 100 * j.compileSeconds / Math.max(1e-9, j.seconds);
    }

    String exceptionsPerRequest() {
        return fmt("%.2f", (double) j.exceptions / Math.max(1, cold.count + warm.count));
    }

    String exceptions() {
        return j.topExceptions.isEmpty() ? null : shares("exception", j.topExceptions, j.exceptions, "%.0f %%");
    }

    String packages() {
        return shares("package", j.topPackages, j.samples, "%.0f %%");
    }

    String methods() {
        return shares("method", j.topMethods, j.samples, "%.1f %%");
    }

    String appFrames() {
        return j.topAppFrames.isEmpty() ? null : shares("method", j.topAppFrames, j.samples, "%.1f %%");
    }

    String monitors() {
        if (j.monitorMs.isEmpty()) {
            return null;
        }
        Md.Table t = new Md.Table("class", "ms");
        j.monitorMs.forEach((k, v) -> t.row("`" + k + "`", fmt("%.0f", v)));
        return t.md();
    }

    /**
     * Where a request's CPU goes, layer by layer: each window's samples by layer ({@link Jfr#LAYERS}; the cold
     * window comes first), and that share of the app's CPU per request without its JIT compiler threads
     * (which JFR's samples leave out too).
     */
    String layers() {
        Jfr.Layers coldLayers = j.layersBefore;
        Jfr.Layers warmLayers = j.layersAfter;
        double coldMs = cold.cpuMsPerRequest("app") - cold.cpuMsPerRequest(Cpu.APP_JIT);
        double warmMs = warm.cpuMsPerRequest("app") - warm.cpuMsPerRequest(Cpu.APP_JIT);
        Md.Table t = new Md.Table("layer (topmost frame of one)", "cold: share", "cold: ms per request",
                "warm: share", "warm: ms per request");
        for (String layer : coldLayers.counts().keySet()) {
            double cold = coldLayers.share(layer);
            double warm = warmLayers.share(layer);
            if (cold >= 0.005 || warm >= 0.005) {
                t.row(layer, fmt("%.0f %%", cold * 100), f(cold * coldMs), fmt("%.0f %%", warm * 100), f(warm * warmMs));
            }
        }
        t.row("**all** (app CPU per request without the JIT threads)", fmt("%d samples", coldLayers.samples()),
                "**" + f(coldMs) + "**", fmt("%d samples", warmLayers.samples()), "**" + f(warmMs) + "**");
        return t.md();
    }

    private static String shares(String what, Map<String, ? extends Number> counts, long samples, String format) {
        Md.Table t = new Md.Table(what, "share");
        counts.forEach((k, v) -> t.row("`" + k + "`", fmt(format, 100.0 * v.doubleValue() / Math.max(1, samples))));
        return t.md();
    }
}
