package digiads.bench;

import java.nio.file.*;
import java.time.Duration;
import java.util.*;

/** Durations and sizes of the suite, each from its BENCH_* variable with its default. */
final class Config {

    static final String ALL_PHASES = "latency,openloop,cascade,pipeline,footprint,profile";

    final boolean quick = flag("BENCH_QUICK", false);
    final Path repo = Path.of(env("BENCH_REPO", ".")).toAbsolutePath().normalize();
    final Path appJar = Path.of(env("BENCH_APP_JAR", repo.resolve("bench/target/digiads-app.jar").toString()));
    final Path work = repo.resolve("bench/target/run");
    final Set<String> phases = new LinkedHashSet<>(List.of(env("BENCH_PHASES", ALL_PHASES).split(",")));
    final List<String> appArgs = Arrays.stream(env("BENCH_APP_ARGS", "").split("\\s+")).filter(a -> !a.isBlank()).toList();
    /** Where the reports go: only a full run of every phase with the app as it ships rewrites docs/. */
    final Path docs = Path.of(env("BENCH_DOCS", quick ? work.resolve("quick").toString()
            : phases.containsAll(List.of(ALL_PHASES.split(","))) && appArgs.isEmpty() ? repo.resolve("docs").toString()
            : work.resolve("partial").toString()));
    final Path out = docs;

    // getDigiAds latency
    final int[] concurrency = Arrays.stream(env("BENCH_CONCURRENCY", "1,8,32").split(",")).map(String::trim)
            .mapToInt(Integer::parseInt).toArray();
    final int reps = num("BENCH_REPS", quick ? 1 : 3);
    final Duration warmupGlobal = secs("BENCH_WARMUP_GLOBAL_S", quick ? 5 : 60);
    final Duration warmup = secs("BENCH_WARMUP_S", 1);
    final Duration window = secs("BENCH_WINDOW_S", quick ? 2 : 5);
    final Duration metadataWindow = secs("BENCH_METADATA_WINDOW_S", quick ? 2 : 3);
    /** The plain SDK loop's own warm-up before its window ({@link SdkFloor}). */
    final Duration sdkFloorWarmup = secs("BENCH_SDK_FLOOR_WARMUP_S", quick ? 2 : 5);
    final int warmItems = num("BENCH_WARM_ITEMS", 64);

    // cascade
    final int cascadeClients = num("BENCH_CASCADE_CLIENTS", 8);
    final Duration cascadeTrip = secs("BENCH_CASCADE_TRIP_S", quick ? 2 : 5);
    final Duration cascadeWindow = secs("BENCH_CASCADE_WINDOW_S", quick ? 3 : 10);
    final List<String> cascadeModes = List.of(env("BENCH_CASCADE_MODES",
            "healthy,slow,hanging,http500,malformed,reset,refused").split(","));
    final Duration baselineDealsTimeout = secs("BENCH_BASELINE_TIMEOUT_S", 10);

    // pipeline; its timeout is a bound, not a window: 180 s keeps a full run under 15 minutes even when the
    // app's 1,000 images time out
    final int images = num("BENCH_IMAGES", quick ? 200 : 1000);
    final int lightImages = num("BENCH_LIGHT_IMAGES", quick ? 10 : 30);
    final Duration lightInterval = Duration.ofMillis(num("BENCH_LIGHT_INTERVAL_MS", 300));
    final Duration pipelineTimeout = secs("BENCH_PIPELINE_TIMEOUT_S", quick ? 120 : 180);
    final int putThreads = num("BENCH_PUT_THREADS", 4);
    final int limitConsumers = num("BENCH_LIMIT_CONSUMERS", 2);
    final int pipelineWarmupImages = num("BENCH_PIPELINE_WARMUP_IMAGES", quick ? 20 : 50);

    // footprint and profiling; the app's JVM flags as its container runs it
    final int starts = num("BENCH_STARTS", quick ? 1 : 3);
    final boolean jfr = flag("BENCH_JFR", !quick);
    final Duration jfrWindow = secs("BENCH_JFR_WINDOW_S", 15);
    final AppJvm appJvm = AppJvm.of(repo);

    // open-loop runs: fixed arrival rates as shares of the closed-loop maximum throughput
    final double[] openLoopShares = Arrays.stream(env("BENCH_OPEN_LOOP_SHARES", "0.5,0.8").split(","))
            .map(String::trim).mapToDouble(Double::parseDouble).toArray();
    final Duration openLoopWindow = secs("BENCH_OPEN_LOOP_WINDOW_S", quick ? 3 : 10);

    /** CPU pinning (taskset): the cores of the emulators, the app and the load generator; off when empty. */
    final Pinning pinning = Pinning.of(env("BENCH_PIN", ""));
    final int dealsDelayMillis = num("BENCH_DEALS_DELAY_MS", 100);
    /** How long a start of the app may take to be ready (a machine shared with other builds starts it slower). */
    final Duration readyTimeout = secs("BENCH_READY_TIMEOUT_S", 120);
    final Duration quietWait = secs("BENCH_QUIET_WAIT_S", 0);

    /**
     * The local issuer's class path: the app's test classes and classes, then its test-scope
     * dependencies as {@code dependency:build-classpath} wrote them (bench/run.sh), or BENCH_ISSUER_CLASSPATH.
     */
    String issuerClasspath() {
        String given = env("BENCH_ISSUER_CLASSPATH", null);
        if (given != null) {
            return given;
        }
        Path testClasses = repo.resolve("target/test-classes");
        Path deps = repo.resolve("bench/target/issuer.classpath");
        if (!Files.isRegularFile(testClasses.resolve("digiads/local/LocalIssuer.class")) || !Files.isRegularFile(deps)) {
            throw new IllegalStateException("no local issuer to run: " + testClasses + " or " + deps
                    + " is missing (bench/run.sh builds both)");
        }
        return String.join(java.io.File.pathSeparator, testClasses.toString(), repo.resolve("target/classes").toString(),
                Bench.read(deps, ""));
    }

    boolean phase(String name) {
        return phases.contains(name);
    }

    static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    static boolean flag(String name, boolean dflt) {
        String v = env(name, null);
        return v == null ? dflt : !(v.equals("0") || v.equalsIgnoreCase("false") || v.equalsIgnoreCase("no"));
    }

    static int num(String name, int dflt) {
        return Integer.parseInt(env(name, Integer.toString(dflt)));
    }

    static Duration secs(String name, int dflt) {
        return Duration.ofMillis(Math.round(Double.parseDouble(env(name, Integer.toString(dflt))) * 1000));
    }
}
