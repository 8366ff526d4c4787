package digiads.bench;

import java.util.Map;

import static digiads.bench.Md.f;
import static digiads.bench.Md.f1;
import static digiads.bench.Md.fmt;

/** The JFR profile of a separate start of the app under the top client count. */
final class ProfileSection {

    private ProfileSection() {
    }

    static String render(Report d) {
        Results res = d.res;
        Jfr j = res.jfr;
        if (j == null) {
            return "";
        }
        StringBuilder out = new StringBuilder("## Profile (JFR)\n\n");
        out.append(fmt("A separate start of the app with `-XX:StartFlightRecording` (settings=profile), %d clients for %s s "
                        + "on cold and then warm images (cold: p50 %s ms, p99 %s ms, %s req/s; warm: p50 %s ms, p99 %s ms, "
                        + "%s req/s — with the recording's overhead). Over that time:%n%n",
                d.top, f1(j.seconds), f(res.jfrCold.p(50)), f(res.jfrCold.p(99)), f1(res.jfrCold.rps()),
                f(res.jfrWarm.p(50)), f(res.jfrWarm.p(99)), f1(res.jfrWarm.rps())));
        out.append(fmt("- CPU (JFR's jdk.CPULoad, share of the whole machine): the app's JVM %.0f %%, the machine %.0f %%.%n",
                j.jvmCpu * 100, j.machineCpu * 100));
        if (res.jfrCold.cpu != null && res.jfrWarm.cpu != null) {
            double other = (res.jfrCold.cpu.of("other") + res.jfrWarm.cpu.of("other")) / 2;
            out.append(fmt("- Processes outside the suite used %.0f %% of a core meanwhile%s.%n", other * 100,
                    other > 0.3 ? ": the latencies of this profiling run are disturbed; where the app's own CPU goes is "
                            + "what the samples below show" : ""));
        }
        out.append(fmt("- GC: %d collections, %.0f ms in total, longest %.1f ms; heap used up to %d MB.%n",
                j.gcCount, j.gcTotalMs, j.gcMaxMs, j.heapUsedMaxMb));
        long requests = res.jfrCold.count + res.jfrWarm.count;
        out.append(fmt("- JIT: %d compilations, %.1f s of compiler time (%.0f %% of a core) while the app served.%n",
                j.compilations, j.compileSeconds, 100 * j.compileSeconds / Math.max(1e-9, j.seconds)));
        out.append(fmt("- Exceptions thrown: %d recorded (JFR keeps at most 300/s), %.2f per request%s%n", j.exceptions,
                (double) j.exceptions / Math.max(1, requests), j.topExceptions.isEmpty() ? "." : "; by class:"));
        if (!j.topExceptions.isEmpty()) {
            out.append('\n').append(shares("exception", j.topExceptions, j.exceptions, "%.0f %%"));
        }
        out.append("- Where the CPU samples were (").append(j.samples).append(" execution samples), by package of the top frame:\n\n");
        out.append(shares("package", j.topPackages, j.samples, "%.0f %%"));
        out.append(byLayer(res));
        out.append("- Hottest methods (self time):\n\n").append(shares("method", j.topMethods, j.samples, "%.1f %%"));
        if (!j.topAppFrames.isEmpty()) {
            out.append("- The project's own code on those stacks (nearest frame of `digiads.*` / `routes.*`):\n\n")
                    .append(shares("method", j.topAppFrames, j.samples, "%.1f %%"));
        }
        if (!j.monitorMs.isEmpty()) {
            Md.Table t = new Md.Table("class", "ms");
            j.monitorMs.forEach((k, v) -> t.row("`" + k + "`", fmt("%.0f", v)));
            out.append("- Most contended monitors (total blocked time, events over the 20 ms threshold):\n\n").append(t);
        }
        out.append("The recording is kept in `").append(d.cfg.repo.relativize(res.jfrFile))
                .append("` (open it with JDK Mission Control or `jfr print`).\n\n");
        return out.toString();
    }

    /**
     * Where a request's CPU goes, layer by layer: each window's samples by layer ({@link Jfr#LAYERS}; the cold
     * window comes first), and that share of the app's CPU per request without its JIT compiler threads
     * (which JFR's samples leave out too).
     */
    private static String byLayer(Results res) {
        Jfr.Layers coldLayers = res.jfr.layersBefore;
        Jfr.Layers warmLayers = res.jfr.layersAfter;
        double coldMs = res.jfrCold.cpuMsPerRequest("app") - res.jfrCold.cpuMsPerRequest(Cpu.APP_JIT);
        double warmMs = res.jfrWarm.cpuMsPerRequest("app") - res.jfrWarm.cpuMsPerRequest(Cpu.APP_JIT);
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
        return "- Where a request's CPU goes, by layer: each sample counts for the layer of its topmost frame that "
                + "belongs to one, so the JDK code a layer calls (collections, locks, reflection, crypto) is that "
                + "layer's; *ms per request* = that share of the window's app CPU per request without the JIT "
                + "compiler threads (the recording's own cost included). Layers under 0.5 % in both windows are left "
                + "out:\n\n" + t;
    }

    private static Md.Table shares(String what, Map<String, ? extends Number> counts, long samples, String format) {
        Md.Table t = new Md.Table(what, "share");
        counts.forEach((k, v) -> t.row("`" + k + "`", fmt(format, 100.0 * v.doubleValue() / Math.max(1, samples))));
        return t;
    }
}
