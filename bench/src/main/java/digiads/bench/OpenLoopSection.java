package digiads.bench;

import static digiads.bench.Md.f;
import static digiads.bench.Md.f1;

/** Section 2: getDigiAds at fixed arrival rates, latency from the intended send time. */
final class OpenLoopSection {

    private OpenLoopSection() {
    }

    static String render(Report d) {
        if (d.res.openLoop.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("## 2. getDigiAds at a fixed arrival rate (open loop)\n\n");
        out.append("Requests arrive at a constant rate, a share of the highest closed-loop throughput of the same mode in "
                + "section 1, whether or not earlier ones have been answered; latency in ms from each request's *intended* "
                + "send time to its last byte, so time spent queued behind a slow answer counts (no coordinated omission). "
                + "*achieved* = requests actually sent during the window ÷ window; *errors* include requests not answered "
                + "within 60 s after the window. Window ").append(d.cfg.openLoopWindow.toSeconds()).append(" s after a ")
                .append(d.cfg.warmup.toSeconds()).append(" s warm-up, one run each.\n\n");
        Md.Table t = new Md.Table("ours", "rate", "intended req/s", "achieved req/s", "requests", "p50", "p90", "p99", "max",
                "errors", "answers", "CPU %", "previous p50 / p99");
        for (Load.Result o : d.res.openLoop) {
            String mode = o.name.contains("cold") ? "cold cache" : "warm cache";
            String key = o.name.replace("open-", "open.").replace("@", ".");
            t.row(mode, Math.round(o.share * 100) + " % of max", f1(o.intendedRate), f1(o.achievedRate()), o.intended,
                    f(o.p(50)), f(o.p(90)), f(o.p(99)), f(o.max()), o.errors, Report.statuses(o.tags), Md.cpu(o.cpu),
                    d.was(key + ".p50") + " / " + d.was(key + ".p99"));
        }
        out.append(t);
        return out.toString();
    }
}
