package digiads.bench;

import java.util.*;

import static digiads.bench.Md.f1;
import static digiads.bench.Md.f;
import static digiads.bench.Md.fmt;
import static digiads.bench.Md.pct;

/** Section 3: the Deals API failure cascade, ours against the baseline. */
final class CascadeSection {

    private CascadeSection() {
    }

    /** The failure modes' table, its targets added; null when the cascade phase did not run. */
    static String of(Report d) {
        Results res = d.res;
        if (res.cascade.isEmpty()) {
            return null;
        }
        Md.Table t = new Md.Table("Deals", "ours p50", "p99", "max", "errors", "answers", "breaker at start → end",
                "Deals wait (upper bound)", "baseline p50", "p99", "max", "errors", "Deals wait", "CPU % during ours");
        double metaRead = d.p50("metadata@" + d.cfg.cascadeClients);
        if (Double.isNaN(metaRead)) {
            metaRead = d.p50("metadata@1");
        }
        for (Results.Cascade r : res.cascade) {
            double oursWait = Math.max(0, r.ours.mean() - metaRead);
            t.row(r.mode, f(r.ours.p(50)), f(r.ours.p(99)), f(r.ours.max()), r.ours.errors + " / " + r.ours.count,
                    Report.statuses(r.ours.tags), r.breakerStart + " → " + r.breakerEnd,
                    f(oursWait) + " ms · " + f1(oursWait * r.ours.count / 1000) + " s", f(r.baseline.p(50)),
                    f(r.baseline.p(99)), f(r.baseline.max()),
                    r.baseline.errors + " / " + r.baseline.count + " (" + pct(r.baseline.errorRate()) + ")",
                    f(r.baseline.meanDealsWaitMs()) + " ms · " + f1(r.baseline.dealsWaitNanos / 1e9) + " s", Md.cpu(r.ours.cpu));
        }
        targets(d);
        return t.md();
    }

    /** The first seconds of each failure mode, before the window. */
    static String trip(Report d) {
        Md.Table trip = new Md.Table("Deals", "p50", "p99", "max", "errors", "answers");
        for (Results.Cascade r : d.res.cascade) {
            if (r.trip != null) {
                trip.row(r.mode, f(r.trip.p(50)), f(r.trip.p(99)), f(r.trip.max()), r.trip.errors + " / " + r.trip.count,
                        Report.statuses(r.trip.tags));
            }
        }
        return trip.md();
    }

    private static void targets(Report d) {
        Results.Cascade healthy = d.res.cascade.stream().filter(r -> r.mode.equals("healthy")).findFirst().orElse(null);
        if (healthy == null) {
            return;
        }
        double bound = healthy.ours.p(99) + 50;
        for (Results.Cascade r : d.res.cascade) {
            if (r.mode.equals("healthy")) {
                continue;
            }
            boolean met = r.ours.p(99) <= bound && r.ours.errors == 0;
            d.target("Deals " + r.mode + ": p99 ≤ healthy p99 + 50 ms, 0 errors",
                    f(r.ours.p(99)) + " ms (healthy " + f(healthy.ours.p(99)) + " ms), " + r.ours.errors + " errors", "",
                    met, met ? "" : cause(r, bound));
        }
    }

    private static String cause(Results.Cascade r, double bound) {
        List<String> why = new ArrayList<>();
        if (r.ours.errors > 0) {
            why.add(r.ours.errors + " non-200 answers: " + Report.statuses(r.ours.tags));
        }
        if (r.ours.p(99) > bound) {
            StringBuilder w = new StringBuilder(fmt("p99 %s ms vs %s ms allowed, max %s ms", f(r.ours.p(99)), f(bound),
                    f(r.ours.max())));
            if (r.ours.max() >= 600) {
                w.append("; the slowest requests waited on the Deals API (up to the 800 ms budget / 700 ms response "
                        + "timeout): half-open probes, or calls before the breaker was open");
            }
            if (r.ours.cpu != null && r.ours.cpu.machineCores() > 1.7) {
                w.append(fmt("; the machine was %.0f %% busy of 200 %% (%s), so requests queued for CPU",
                        r.ours.cpu.machineCores() * 100, Md.cpu(r.ours.cpu)));
            }
            w.append("; breaker ").append(r.breakerStart).append(" → ").append(r.breakerEnd);
            why.add(w.toString());
        }
        return String.join("; ", why);
    }
}
