package digiads.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.*;
import java.util.*;

import jdk.jfr.consumer.*;

/**
 * What a JFR recording of the app says about a time range: where the CPU went, GC, lock contention; and
 * its execution samples by layer ({@link #LAYERS}) before and after an instant inside it.
 */
final class Jfr {

    long samples;
    final Map<String, Long> topMethods = new LinkedHashMap<>();
    final Map<String, Long> topPackages = new LinkedHashMap<>();
    final Map<String, Long> topAppFrames = new LinkedHashMap<>();
    long gcCount;
    double gcTotalMs;
    double gcMaxMs;
    long heapUsedMaxMb;
    final Map<String, Double> monitorMs = new LinkedHashMap<>();
    /** Exceptions thrown in the window (JFR's jdk.JavaExceptionThrow; settings=profile records at most 300/s). */
    long exceptions;
    final Map<String, Long> topExceptions = new LinkedHashMap<>();
    /** Time the JIT compilers spent in the window (jdk.CompilerStatistics, every second). */
    double compileSeconds;
    long compilations;
    double jvmCpu;
    double machineCpu;
    double seconds;
    /** The execution samples by layer from {@code from} to {@code split}, and from {@code split} to {@code to}. */
    Layers layersBefore;
    Layers layersAfter;

    static Jfr summarise(Path file, Instant from, Instant split, Instant to) throws IOException {
        Jfr j = new Jfr();
        j.seconds = Duration.between(from, to).toNanos() / 1e9;
        Map<String, Long> methods = new HashMap<>();
        Map<String, Long> packages = new HashMap<>();
        Map<String, Long> appFrames = new HashMap<>();
        Map<String, Double> monitors = new HashMap<>();
        Map<String, Long> thrown = new HashMap<>();
        RecordedEvent firstCompilerStats = null;
        RecordedEvent lastCompilerStats = null;
        double cpuSum = 0;
        double machineSum = 0;
        int cpuN = 0;
        Map<String, Long> before = layerCounts();
        Map<String, Long> after = layerCounts();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            Instant t = e.getStartTime();
            if (t.isBefore(from) || t.isAfter(to)) {
                continue;
            }
            switch (e.getEventType().getName()) {
                case "jdk.ExecutionSample" -> {
                    RecordedStackTrace st = e.getStackTrace();
                    if (st == null || st.getFrames().isEmpty()) {
                        continue;
                    }
                    j.samples++;
                    (t.isBefore(split) ? before : after).merge(layerOf(st), 1L, Long::sum);
                    RecordedFrame top = st.getFrames().get(0);
                    String type = top.getMethod().getType().getName();
                    methods.merge(type + "." + top.getMethod().getName(), 1L, Long::sum);
                    packages.merge(pkg(type), 1L, Long::sum);
                    for (RecordedFrame f : st.getFrames()) {
                        String ft = f.getMethod().getType().getName();
                        if (ft.startsWith("digiads.") || ft.startsWith("routes.")) {
                            appFrames.merge(ft + "." + f.getMethod().getName(), 1L, Long::sum);
                            break;
                        }
                    }
                }
                case "jdk.GarbageCollection" -> {
                    // pauses only: a concurrent cycle's duration is not time the application stood still
                    j.gcCount++;
                    j.gcTotalMs += e.getDuration("sumOfPauses").toNanos() / 1e6;
                    j.gcMaxMs = Math.max(j.gcMaxMs, e.getDuration("longestPause").toNanos() / 1e6);
                }
                case "jdk.GCHeapSummary" -> j.heapUsedMaxMb = Math.max(j.heapUsedMaxMb, e.getLong("heapUsed") / (1024 * 1024));
                case "jdk.JavaMonitorEnter" -> {
                    String cls = e.getClass("monitorClass") == null ? "?" : e.getClass("monitorClass").getName();
                    monitors.merge(cls, e.getDuration().toNanos() / 1e6, Double::sum);
                }
                case "jdk.JavaExceptionThrow" -> {
                    j.exceptions++;
                    thrown.merge(e.getClass("thrownClass") == null ? "?" : e.getClass("thrownClass").getName(), 1L, Long::sum);
                }
                case "jdk.CompilerStatistics" -> {
                    if (firstCompilerStats == null) {
                        firstCompilerStats = e;
                    }
                    lastCompilerStats = e;
                }
                case "jdk.CPULoad" -> {
                    cpuSum += e.getFloat("jvmUser") + e.getFloat("jvmSystem");
                    machineSum += e.getFloat("machineTotal");
                    cpuN++;
                }
                default -> {
                }
            }
        }
        top(methods, 12).forEach(j.topMethods::put);
        top(packages, 8).forEach(j.topPackages::put);
        top(appFrames, 8).forEach(j.topAppFrames::put);
        top(thrown, 5).forEach(j.topExceptions::put);
        if (firstCompilerStats != null && lastCompilerStats != firstCompilerStats) {
            j.compileSeconds = (lastCompilerStats.getDuration("totalTimeSpent").toNanos()
                    - firstCompilerStats.getDuration("totalTimeSpent").toNanos()) / 1e9;
            j.compilations = lastCompilerStats.getLong("compileCount") - firstCompilerStats.getLong("compileCount");
        }
        monitors.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(5)
                .forEach(en -> j.monitorMs.put(en.getKey(), en.getValue()));
        j.layersBefore = new Layers(before);
        j.layersAfter = new Layers(after);
        j.jvmCpu = cpuN == 0 ? 0 : cpuSum / cpuN;
        j.machineCpu = cpuN == 0 ? 0 : machineSum / cpuN;
        return j;
    }

    /** The layers of the app's stack, in the order a sample's frames are matched (a more specific prefix first). */
    static final List<Layer> LAYERS = List.of(
            new Layer("AWS SDK, with its Apache HTTP client", "software.amazon.awssdk.", "org.apache.http."),
            new Layer("Camel (routes, components, type conversion)", "org.apache.camel."),
            new Layer("Spring Security, Nimbus JOSE", "org.springframework.security.", "com.nimbusds."),
            new Layer("Spring MVC", "org.springframework.web.", "org.springframework.http."),
            new Layer("Tomcat", "org.apache.catalina.", "org.apache.coyote.", "org.apache.tomcat."),
            new Layer("Deals HTTP client (Apache HttpClient 5)", "org.apache.hc."),
            new Layer("Resilience4j (breaker, bulkhead, rate limiter)", "io.github.resilience4j."),
            new Layer("Jackson", "com.fasterxml.jackson."),
            new Layer("Micrometer (metrics, observations)", "io.micrometer."),
            new Layer("Caffeine (caches)", "com.github.benmanes.caffeine."),
            new Layer("Logging", "ch.qos.logback.", "org.slf4j."),
            new Layer("Spring, other (beans, class loading)", "org.springframework."),
            new Layer("the project's code", "digiads.", "routes."));

    static final String JDK_ONLY = "JDK only (thread pools, scheduling)";

    /** A layer: its name in the report and the class-name prefixes of its frames. */
    record Layer(String name, String... prefixes) {
        boolean owns(String type) {
            for (String prefix : prefixes) {
                if (type.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Execution samples of a time range by layer ({@link #LAYERS}), in their order, then {@link #JDK_ONLY}. */
    record Layers(Map<String, Long> counts) {
        long samples() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }

        double share(String layer) {
            long samples = samples();
            return samples == 0 ? 0 : (double) counts.getOrDefault(layer, 0L) / samples;
        }
    }

    /** Every layer at 0, in the order of {@link #LAYERS}, then {@link #JDK_ONLY}. */
    private static Map<String, Long> layerCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        LAYERS.forEach(l -> counts.put(l.name(), 0L));
        counts.put(JDK_ONLY, 0L);
        return counts;
    }

    static String layerOf(RecordedStackTrace st) {
        for (RecordedFrame f : st.getFrames()) {
            String type = f.getMethod().getType().getName();
            for (Layer l : LAYERS) {
                if (l.owns(type)) {
                    return l.name();
                }
            }
        }
        return JDK_ONLY;
    }

    private static Map<String, Long> top(Map<String, Long> counts, int n) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .forEach(en -> out.put(en.getKey(), en.getValue()));
        return out;
    }

    private static String pkg(String type) {
        String[] parts = type.split("\\.");
        int n = Math.min(parts.length - 1, type.startsWith("org.apache.camel") ? 4 : 3);
        return n <= 0 ? type : String.join(".", java.util.Arrays.copyOf(parts, n));
    }
}
