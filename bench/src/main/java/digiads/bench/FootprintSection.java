package digiads.bench;

import java.util.*;
import java.util.regex.*;

import static digiads.bench.Md.f1;
import static digiads.bench.Md.f;
import static digiads.bench.Md.fmt;

/** Section 5: start to ready, memory (RSS, threads, heap, native memory by category) and the jar. */
final class FootprintSection {

    static final double START_TARGET_S = 6;
    static final double RSS_TARGET_MB = 300;

    private FootprintSection() {
    }

    static String render(Report d) {
        Results res = d.res;
        int top = d.top;
        StringBuilder out = new StringBuilder("## 5. Footprint\n\n");
        out.append("Seconds from process start (the jar as built, `java -jar`, with the container's JVM flags):\n\n");
        Md.Table starts = new Md.Table("start", "HTTP answers", "Tomcat started", "Camel started", "health UP",
                "CPU-seconds used until UP: app · rest of the machine");
        int i = 1;
        for (App.Start s : res.starts) {
            starts.row(i++, f1(s.http()), s.tomcat() == null ? "–" : f1(s.tomcat()), s.camel() == null ? "–" : f1(s.camel()),
                    f1(s.ready()), f1(s.cpuSeconds()) + " · " + f1(s.othersCpuSeconds()));
        }
        out.append(starts);
        Md.Table t = new Md.Table("", "now", "previous");
        t.row("start-to-ready, median of " + res.starts.size() + " (jar as built)", f1(d.readyMedian()) + " s",
                d.was("start.ready-median") + " s");
        t.row("start-to-ready, extracted jar + AOT cache (start mode)", f(d.start.get("start.aot-median")) + " s",
                d.was("start.aot-median") + " s");
        t.row("RSS idle after start", f(res.idleRssKb / 1024.0) + " MB", d.was("rss.idle-mb") + " MB");
        t.row("RSS during the " + top + "-client runs, median / max", f(d.rssMedianMb()) + " / " + f(d.rssMaxMb()) + " MB",
                d.was("rss.load-median-mb") + " / " + d.was("rss.load-max-mb") + " MB");
        if (res.rssFileAtMaxKb >= 0) {
            t.row("of the largest RSS sample, mapped files (RssFile: the JVM's libraries, the class archive, the jar)",
                    f(res.rssFileAtMaxKb / 1024.0) + " MB", "");
        }
        t.row("threads during the " + top + "-client runs, max", res.threadsUnderLoadMax, d.was("threads.max"));
        long[] hp = heap(res.heapInfo);
        if (hp[0] >= 0) {
            t.row("Java heap after the " + top + "-client runs (GC.heap_info), committed / used", hp[0] / 1024 + " / "
                    + hp[1] / 1024 + " MB", d.was("heap.committed-mb") + " / " + d.was("heap.used-mb") + " MB");
        }
        if (hp[2] >= 0) {
            t.row("Metaspace committed", hp[2] / 1024 + " MB", "");
        }
        if (res.heapInfo != null) {
            t.row("garbage collector (the JVM's choice under these flags)", collector(res.heapInfo), "");
        }
        t.row("graceful shutdown (SIGTERM → exit)", res.shutdown == null ? "–" : f1(res.shutdown.toMillis() / 1000.0) + " s", "");
        t.row("jar size", f1(res.jarBytes / 1e6) + " MB (" + res.jarBytes + " bytes)", "");
        out.append(t);
        Map<String, Long> nmt = nmt(res.nmt);
        if (!nmt.isEmpty()) {
            out.append(fmt("Where the memory is: `jcmd VM.native_memory summary` of the profiling start "
                    + "(`-XX:NativeMemoryTracking=summary`, after its %d-client runs; RSS then %s MB). Committed, largest "
                    + "first; *Tracing* and *Native Memory Tracking* are the profiler's own:%n%n", top, f(res.nmtRssKb / 1024.0)));
            Md.Table n = new Md.Table("category", "committed MB", "previous MB");
            nmt.forEach((k, v) -> {
                if (v >= 1024) {
                    n.row(k, v / 1024, d.was("nmt." + k));
                }
            });
            out.append(n);
        }
        targets(d);
        return out.toString();
    }

    private static void targets(Report d) {
        Results res = d.res;
        double aot = d.start.get("start.aot-median");
        double ready = Double.isNaN(aot) ? d.readyMedian() : aot;
        String source = Double.isNaN(aot)
                ? "the jar as built, median of " + res.starts.size() + " (the start mode has not run: no "
                        + Figures.START_FILE + ")"
                : "extracted jar + AOT cache, `bench/run.sh start` of " + d.start.describe();
        String readyWhy = "";
        if (ready > START_TARGET_S && !res.starts.isEmpty()) {
            readyWhy = (Double.isNaN(aot) ? "" : "the full suite's own starts (jar as built) took " + f1(d.readyMedian())
                    + " s; ") + readyCause(d);
        }
        d.target("start ≤ " + f1(START_TARGET_S) + " s (process start → readiness UP, median of 3, as the container runs it)",
                f(ready) + " s (" + source + ")", d.was(Double.isNaN(aot) ? "start.ready-median" : "start.aot-median") + " s",
                ready <= START_TARGET_S, readyWhy);
        if (res.rssUnderLoadKb.isEmpty()) {
            return;
        }
        double rssMax = d.rssMaxMb();
        String why = "";
        if (rssMax > RSS_TARGET_MB) {
            long[] heap = heap(res.heapInfo);
            StringBuilder w = new StringBuilder(fmt("idle %s MB, %s MB more under load; Java heap committed %s MB (used "
                    + "%s MB) after the %d-client runs, %d threads",
                    f(res.idleRssKb / 1024.0), f(rssMax - res.idleRssKb / 1024.0), heap[0] < 0 ? "?" : Long.toString(heap[0] / 1024),
                    heap[1] < 0 ? "?" : Long.toString(heap[1] / 1024), d.top, res.threadsUnderLoadMax));
            if (res.rssFileAtMaxKb >= 0) {
                w.append(fmt("; of the %s MB, %s MB are mapped files (RssFile: the JVM's libraries, the JDK's class "
                        + "archive, the jar), the rest the process's own memory", f(rssMax), f(res.rssFileAtMaxKb / 1024.0)));
            }
            Map<String, Long> nmt = nmt(res.nmt);
            if (!nmt.isEmpty()) {
                w.append("; native memory tracking (profiling start) commits ");
                int n = 0;
                for (var e : nmt.entrySet()) {
                    // Tracing (JFR) and NMT's own bookkeeping exist only in the profiling start
                    if (e.getKey().equals("Total") || e.getKey().equals("Tracing")
                            || e.getKey().equals("Native Memory Tracking") || n >= 6) {
                        continue;
                    }
                    w.append(n++ == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue() / 1024).append(" MB");
                }
            }
            why = w.toString();
        }
        d.target("RSS ≤ " + f(RSS_TARGET_MB) + " MB under " + d.top + " clients", f(rssMax) + " MB (max; median "
                + f(d.rssMedianMb()) + ")", d.was("rss.load-max-mb") + " MB", rssMax <= RSS_TARGET_MB, why);
    }

    /** Why start-to-ready exceeds the target: the start-up work on a quiet machine, and the others' share. */
    private static String readyCause(Report d) {
        List<App.Start> all = d.res.starts;
        List<App.Start> quiet = all.stream().filter(st -> st.othersCpuSeconds() < 0.3 * st.ready()).toList();
        App.Start ref = (quiet.isEmpty() ? all : quiet).stream()
                .min(java.util.Comparator.comparingDouble(App.Start::ready)).get();
        double camel = ref.camel() == null ? Double.NaN : ref.camel();
        StringBuilder w = new StringBuilder(fmt("%s was ready after %s s (Tomcat %s s, Camel %s s, health UP %s), the JVM "
                        + "using %s CPU-seconds (%.1f of the 2 cores on average%s): start-up itself is CPU work — Spring Boot "
                        + "and the Camel context from a %s MB jar (Hawtio, Jolokia, Spring Security, actuator/Prometheus, "
                        + "Camel OpenAPI, AWS SDK), class loading and JIT",
                quiet.isEmpty() ? "No start had the machine to itself; the fastest, start " + (all.indexOf(ref) + 1) + ","
                        : "On a quiet machine start " + (all.indexOf(ref) + 1), f1(ref.ready()),
                ref.tomcat() == null ? "?" : f1(ref.tomcat()), f1(camel),
                !Double.isNaN(camel) && ref.ready() - camel > 3 ? "only " + f1(ref.ready() - camel)
                        + " s later: a readiness check waits after start-up" : "right after",
                f1(ref.cpuSeconds()), ref.cpuSeconds() / ref.ready(),
                quiet.isEmpty() ? ", while other processes used " + f1(ref.othersCpuSeconds()) + " CPU-seconds" : "",
                f1(d.res.jarBytes / 1e6)));
        List<String> others = new ArrayList<>();
        for (App.Start b : all) {
            if (b != ref && !quiet.contains(b)) {
                others.add(fmt("start %d: %s s, others %s CPU-s", all.indexOf(b) + 1, f1(b.ready()), f1(b.othersCpuSeconds())));
            }
        }
        if (!others.isEmpty()) {
            w.append("; the other starts shared the 2 cores with other processes (").append(String.join(", ", others)).append(")");
        }
        return w.toString();
    }

    /** Committed KiB per NMT category, largest first, "Total" first of all. */
    static Map<String, Long> nmt(String summary) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (summary == null) {
            return out;
        }
        Matcher total = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB").matcher(summary);
        if (total.find()) {
            out.put("Total", Long.parseLong(total.group(2)));
        }
        Matcher m = Pattern.compile("(?m)^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)").matcher(summary);
        List<Map.Entry<String, Long>> cats = new ArrayList<>();
        while (m.find()) {
            cats.add(Map.entry(m.group(1).trim(), Long.parseLong(m.group(3))));
        }
        cats.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        cats.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** The collector the app's JVM chose, from GC.heap_info. */
    static String collector(String info) {
        if (info == null) {
            return "?";
        }
        return info.contains("garbage-first") ? "G1" : info.contains("def new generation") || info.contains("DefNew") ? "Serial"
                : info.contains("PSYoungGen") ? "Parallel" : info.contains("ZHeap") ? "ZGC" : "?";
    }

    /** {heap committed, heap used, metaspace committed} in KiB from GC.heap_info; -1 where absent. */
    static long[] heap(String info) {
        long[] out = {-1, -1, -1};
        if (info == null) {
            return out;
        }
        // G1: one "garbage-first heap total [reserved …K, committed] …K, used …K" (JDK 25 names the reserved size
        // too); Serial and Parallel: one such line a generation
        Matcher m = Pattern.compile("(?m)^\\s*\\S.*?\\s+total (?:reserved \\d+K, committed )?(\\d+)K, used (\\d+)K")
                .matcher(info);
        while (m.find()) {
            out[0] = Math.max(0, out[0]) + Long.parseLong(m.group(1));
            out[1] = Math.max(0, out[1]) + Long.parseLong(m.group(2));
        }
        m = Pattern.compile("Metaspace\\s+used (\\d+)K, committed (\\d+)K").matcher(info);
        if (m.find()) {
            out[2] = Long.parseLong(m.group(2));
        }
        return out;
    }
}
