package digiads.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Durations and sizes of the suite, from the environment. {@code BENCH_QUICK=1} is a smoke run of
 * about two minutes (one repetition, short windows, fewer images); every value can be set alone too.
 */
final class Config {

    final boolean quick;
    final Path repo;
    final Path appJar;
    final Path work;
    final Path docs;
    /** Where the report goes: docs/, or bench/target/run/ for a run of only some phases. */
    final Path out;
    final java.util.Set<String> phases;
    final List<String> appArgs;

    // getDigiAds latency
    final int[] concurrency;
    final int reps;
    final Duration warmupGlobal;
    final Duration warmup;
    final Duration window;
    final Duration metadataWindow;
    /** The plain SDK loop's own warm-up before its window ({@link SdkFloor}). */
    final Duration sdkFloorWarmup;
    final int warmItems;

    // cascade
    final int cascadeClients;
    final Duration cascadeTrip;
    final Duration cascadeWindow;
    final List<String> cascadeModes;
    final Duration baselineDealsTimeout;

    // pipeline
    final int images;
    final int lightImages;
    final Duration lightInterval;
    final Duration pipelineTimeout;
    final int putThreads;
    final int limitConsumers;
    final int pipelineWarmupImages;

    // footprint and profiling
    final int starts;
    final boolean jfr;
    final Duration jfrWindow;
    /** The app's JVM flags as its container runs it: {@code @docker/jvm.options -XX:MaxRAM=<mem_limit>}. */
    final AppJvm appJvm;

    // open-loop runs: fixed arrival rates as shares of the closed-loop maximum throughput
    final double[] openLoopShares;
    final Duration openLoopWindow;

    /** CPU pinning (taskset): the cores of the emulators, the app and the load generator; off when empty. */
    final Pinning pinning;

    final int dealsDelayMillis;
    final Duration quietWait;

    Config() {
        quick = flag("BENCH_QUICK", false);
        repo = Path.of(env("BENCH_REPO", ".")).toAbsolutePath().normalize();
        appJar = Path.of(env("BENCH_APP_JAR", repo.resolve("bench/target/digiads-app.jar").toString()));
        work = repo.resolve("bench/target/run");
        phases = new java.util.LinkedHashSet<>(List.of(env("BENCH_PHASES", ALL_PHASES).split(",")));
        boolean all = phases.containsAll(List.of(ALL_PHASES.split(",")));
        appArgs = List.of(env("BENCH_APP_ARGS", "").split("\\s+")).stream().filter(a -> !a.isBlank()).toList();
        // only a full run of every phase with the app as it ships rewrites docs/
        docs = Path.of(env("BENCH_DOCS", quick ? work.resolve("quick").toString()
                : all && appArgs.isEmpty() ? repo.resolve("docs").toString() : work.resolve("partial").toString()));
        out = docs;

        concurrency = Arrays.stream(env("BENCH_CONCURRENCY", "1,8,32").split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray();
        reps = num("BENCH_REPS", quick ? 1 : 3);
        warmupGlobal = secs("BENCH_WARMUP_GLOBAL_S", quick ? 5 : 20);
        warmup = secs("BENCH_WARMUP_S", 1);
        window = secs("BENCH_WINDOW_S", quick ? 2 : 5);
        metadataWindow = secs("BENCH_METADATA_WINDOW_S", quick ? 2 : 3);
        sdkFloorWarmup = secs("BENCH_SDK_FLOOR_WARMUP_S", quick ? 2 : 5);
        warmItems = num("BENCH_WARM_ITEMS", 64);

        cascadeClients = num("BENCH_CASCADE_CLIENTS", 8);
        cascadeTrip = secs("BENCH_CASCADE_TRIP_S", quick ? 2 : 5);
        cascadeWindow = secs("BENCH_CASCADE_WINDOW_S", quick ? 3 : 10);
        cascadeModes = List.of(env("BENCH_CASCADE_MODES",
                "healthy,slow,hanging,http500,malformed,reset,refused").split(","));
        baselineDealsTimeout = secs("BENCH_BASELINE_TIMEOUT_S", 10);

        images = num("BENCH_IMAGES", quick ? 200 : 1000);
        lightImages = num("BENCH_LIGHT_IMAGES", quick ? 10 : 30);
        lightInterval = Duration.ofMillis(num("BENCH_LIGHT_INTERVAL_MS", 300));
        // a bound, not a window: 180 s keeps a full run under 15 minutes even when the app's 1,000 images time out
        pipelineTimeout = secs("BENCH_PIPELINE_TIMEOUT_S", quick ? 120 : 180);
        putThreads = num("BENCH_PUT_THREADS", 4);
        limitConsumers = num("BENCH_LIMIT_CONSUMERS", 2);
        pipelineWarmupImages = num("BENCH_PIPELINE_WARMUP_IMAGES", quick ? 20 : 50);

        starts = num("BENCH_STARTS", quick ? 1 : 3);
        jfr = flag("BENCH_JFR", !quick);
        jfrWindow = secs("BENCH_JFR_WINDOW_S", 15);
        appJvm = AppJvm.of(repo);

        openLoopShares = Arrays.stream(env("BENCH_OPEN_LOOP_SHARES", "0.5,0.8").split(",")).map(String::trim)
                .mapToDouble(Double::parseDouble).toArray();
        openLoopWindow = secs("BENCH_OPEN_LOOP_WINDOW_S", quick ? 3 : 10);
        pinning = Pinning.of(env("BENCH_PIN", ""));

        dealsDelayMillis = num("BENCH_DEALS_DELAY_MS", 100);
        quietWait = secs("BENCH_QUIET_WAIT_S", 0);
    }

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
        if (!java.nio.file.Files.isRegularFile(testClasses.resolve("digiads/local/LocalIssuer.class"))
                || !java.nio.file.Files.isRegularFile(deps)) {
            throw new IllegalStateException("no local issuer to run: " + testClasses + " or " + deps
                    + " is missing (bench/run.sh builds both)");
        }
        try {
            return String.join(java.io.File.pathSeparator, testClasses.toString(),
                    repo.resolve("target/classes").toString(), java.nio.file.Files.readString(deps).trim());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static final String ALL_PHASES = "latency,openloop,cascade,pipeline,footprint,profile";

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
