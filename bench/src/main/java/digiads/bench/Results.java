package digiads.bench;

import java.nio.file.Path;
import java.time.*;
import java.util.*;
import java.util.function.ToDoubleFunction;

import org.HdrHistogram.Histogram;

/** Everything one run measured. */
final class Results {

    Instant began;
    Instant ended;
    boolean quick;
    Map<String, String> machine = new LinkedHashMap<>();
    Map<String, String> appProps = new LinkedHashMap<>();
    final List<String> warnings = new ArrayList<>();

    /** getDigiAds latency: runs by "mode@clients", one per repetition. */
    final Map<String, List<Load.Result>> runs = new LinkedHashMap<>();
    final List<Long> rssUnderLoadKb = Collections.synchronizedList(new ArrayList<>());
    /** A plain SDK GetItem loop at the top client count: the floor under the app's CPU per getMetadata. */
    SdkFloor.Result sdkFloor;
    long idleRssKb;
    /** The file-backed part (RssFile) of the largest RSS sample under load. */
    long rssFileAtMaxKb = -1;
    long threadsUnderLoadMax;
    String heapInfo;
    String nmt;
    long nmtRssKb;
    boolean breakerMetrics;

    static final class Cascade {
        String mode;
        Load.Result trip;
        Load.Result ours;
        Load.Result baseline;
        String breakerStart;
        String breakerEnd;
    }

    final List<Cascade> cascade = new ArrayList<>();

    /** getDigiAds at fixed arrival rates: warm, then cold, each at the configured shares of the maximum. */
    final List<Load.Result> openLoop = new ArrayList<>();

    Pipeline.Result appLight;
    Pipeline.Result appBurst;
    Pipeline.Result limitLight;
    Pipeline.Result limitBurst;
    long limitErrors;

    /** Access tokens the clients fetched from the issuer over the run. */
    int tokensFetched;

    final List<App.Start> starts = new ArrayList<>();
    Duration shutdown;
    long jarBytes;

    Load.Result jfrCold;
    Load.Result jfrWarm;
    Jfr jfr;
    Path jfrFile;

    void add(String key, Load.Result r) {
        runs.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        System.out.println("  " + r);
        if (r.cpu != null) {
            System.out.println("      cpu: " + r.cpu.describe());
        }
    }

    void warn(String message) {
        warnings.add(message);
        System.out.println("  WARNING: " + message);
    }

    /** The median over the repetitions of a run's metric; NaN when the run is absent. */
    double median(String key, ToDoubleFunction<Load.Result> metric) {
        List<Load.Result> rs = runs.get(key);
        if (rs == null || rs.isEmpty()) {
            return Double.NaN;
        }
        return median(rs.stream().mapToDouble(metric).toArray());
    }

    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int n = v.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** All repetitions of a run in one histogram (for the charts). */
    Histogram pooled(String key) {
        Histogram h = Load.newHistogram();
        runs.getOrDefault(key, List.of()).forEach(r -> h.add(r.hist));
        return h;
    }

    long total(String key, java.util.function.ToLongFunction<Load.Result> metric) {
        return runs.getOrDefault(key, List.of()).stream().mapToLong(metric).sum();
    }

    /** Tag counts summed over the repetitions. */
    Map<String, Long> tags(String key) {
        Map<String, Long> t = new java.util.TreeMap<>();
        runs.getOrDefault(key, List.of()).forEach(r -> r.tags.forEach((k, v) -> t.merge(k, v, Long::sum)));
        return t;
    }

    /** Mean CPU use (cores) of a process over the repetitions of a run. */
    double cpu(String key, String process) {
        return runs.getOrDefault(key, List.of()).stream().filter(r -> r.cpu != null)
                .mapToDouble(r -> r.cpu.of(process)).average().orElse(Double.NaN);
    }

    double machineCpu(String key) {
        return runs.getOrDefault(key, List.of()).stream().filter(r -> r.cpu != null)
                .mapToDouble(r -> r.cpu.machineCores()).average().orElse(Double.NaN);
    }
}
