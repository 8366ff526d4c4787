package digiads.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.*;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.function.Supplier;

/**
 * The full suite (bench/run.sh): moto with the Rekognition stand-in, dynalite (DynamoDB of every phase), WireMock as
 * the Deals API, the local issuer and the app jar secured as in production; latency, open loop, cascade, pipeline,
 * footprint, profile; docs/benchmarks.md.
 */
public final class Bench extends Modes {

    /** The modes of bench/run.sh by name: a new mode is one entry here. */
    static final Map<String, Supplier<Modes>> MODES = Map.of(
            "full", Bench::new,
            "search", SearchBench::new,
            "streams", StreamsBench::new,
            "start", StartBench::new);

    final Results res = new Results();
    private final Map<String, Long> pids = new ConcurrentHashMap<>();

    private Service moto;
    /** DynamoDB of every phase: dynalite keeps its connections alive, moto closes each after one call. */
    private Service dynalite;
    /** Where the app's DynamoDB calls go: dynalite, or the recorder in front of it in the pipeline phase. */
    private String appDynamo;
    private Deals deals;
    private Service rekognition;
    private Issuer issuer;
    private Aws aws;
    private App app;
    private Pools.Cold cold;
    private Pools.Fixed warm;
    private Pools.Fixed fail;
    private Clients clients;

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "full";
        if (mode.equals("floor")) {
            System.exit(Floor.run(Path.of("").toAbsolutePath()));
        }
        if (!MODES.containsKey(mode)) {
            System.err.println("unknown mode " + mode + "; the modes: " + MODES.keySet());
            System.exit(2);
        }
        System.exit(Modes.run(MODES.get(mode).get()));
    }

    @Override
    synchronized void stopAll() {
        super.stopAll();
        if (aws != null) {
            aws.close();
        }
    }

    @Override
    void run() throws Exception {
        res.began = Instant.now();
        Files.createDirectories(cfg.docs);
        res.quick = cfg.quick;
        res.jarBytes = Files.size(cfg.appJar);
        res.appProps = appProperties();
        machine();
        Cpu.pids = () -> pids;
        pids.put("bench", ProcessHandle.current().pid());

        waitForQuiet();
        // the suite's own time starts here (an optional wait for a quiet machine does not count)
        res.began = Instant.now();
        res.machine.put("Load average at start", read(Path.of("/proc/loadavg"), "?"));
        phase("setup: moto, dynalite, WireMock, the local issuer, resources, items");
        startMoto();
        dynalite = Service.dynalite(cfg, procs);
        pids.put("dynalite", dynalite.proc().pid());
        appDynamo = dynalite.url();
        rekognition = Service.rekognition(cfg, moto, procs);
        pids.put("rekognition", rekognition.proc().pid());
        deals = new Deals(cfg.repo, cfg.work.resolve("logs"));
        deals.start();
        trackWiremock();
        deals.healthy(cfg.dealsDelayMillis);
        issuer = Issuer.start(cfg, procs);
        pids.put("issuer", issuer.proc.pid());
        issuer.token(); // the clients' one token (client_credentials), before any measurement
        aws = new Aws(moto.url(), rekognition.url(), dynalite.url(), 64, ResourceDefinition.of(cfg.repo));
        aws.provision(aws.app);
        aws.provision(aws.limit);
        cold = new Pools.Cold(aws);
        warm = new Pools.Fixed(aws, "warm-", "Warm-", cfg.warmItems);
        fail = new Pools.Fixed(aws, "fail-", "Fail-", 256);
        cold.ensure(coldBound(8, cfg.warmupGlobal));

        phase("start the app");
        app = startApp("main", List.of());
        res.starts.add(App.Start.of(app));
        clients = new Clients(app.url(), issuer::token, deals.baseUrl(), (int) cfg.baselineDealsTimeout.toMillis());
        verifySecurity(app);
        res.breakerMetrics = !app.breakerState().equals("n/a");
        Proc.sleep(1000);
        res.idleRssKb = app.rssKb();

        if (cfg.phase("latency")) {
            latency();
        }
        if (cfg.phase("openloop")) {
            openLoop();
        }
        if (cfg.phase("cascade")) {
            cascade();
        }
        if (cfg.phase("pipeline")) {
            pipeline();
        }
        if (cfg.phase("footprint")) {
            footprint();
        }
        if (cfg.jfr && cfg.phase("profile")) {
            profile();
        }

        phase("charts and report");
        if (cold.exhausted() > 0) {
            res.warn(cold.exhausted() + " requests meant for cold images got one asked for before (the cold pool ran out)");
        }
        deals.stop();
        rekognition.proc().stop(Duration.ofSeconds(5));
        moto.proc().stop(Duration.ofSeconds(5));
        dynalite.proc().stop(Duration.ofSeconds(5));
        res.tokensFetched = issuer.tokensFetched();
        issuer.stop();
        refusals();
        res.ended = Instant.now();
        Charts.write(cfg, res);
        Report.write(cfg, res);
        System.out.printf("%nWrote %s (total %.1f min)%n", cfg.out.resolve("benchmarks.md"),
                Duration.between(res.began, res.ended).toMillis() / 60000.0);
    }

    // ---- 1. getDigiAds latency ------------------------------------------------------------------

    private void latency() {
        phase("getDigiAds latency: warm-up");
        // the last client warms the plain SDK loop that measures the CPU floor after the latency runs
        Load.run("warm-up", 8, Duration.ZERO, cfg.warmupGlobal, client -> client == 7
                ? SdkFloor.getItem(aws, c -> warm.next()).call(client) : switch (client % 4) {
            case 0 -> clients.digiAds(c -> cold.next()).call(client);
            case 1 -> clients.digiAds(c -> warm.next()).call(client);
            case 2 -> clients.baseline(c -> warm.next()).call(client);
            default -> clients.metadata(c -> warm.next()).call(client);
        }, null);
        for (int c : cfg.concurrency) {
            for (int rep = 1; rep <= cfg.reps; rep++) {
                phase("getDigiAds latency: " + c + " clients, repetition " + rep + "/" + cfg.reps);
                boolean sampleRss = c == max(cfg.concurrency);
                // the limits at this concurrency: one Deals round trip and getMetadata alone, with c clients
                Load.Result r = Load.run("deals-direct", c, cfg.warmup, cfg.metadataWindow, clients.dealsDirect(), null);
                res.add("deals-direct@" + c, r);
                r = Load.run("metadata", c, cfg.warmup, cfg.metadataWindow, clients.metadata(x -> warm.next()),
                        sampleRss ? this::sampleRss : null);
                res.add("metadata@" + c, r);
                cold.ensure(coldBound(c, cfg.warmup.plus(cfg.window)));
                r = Load.run("ours-cold", c, cfg.warmup, cfg.window, clients.digiAds(x -> cold.next()),
                        sampleRss ? this::sampleRss : null);
                res.add("ours-cold@" + c, r);
                prewarm(" for the " + c + "-client warm run " + rep);
                r = Load.run("ours-warm", c, cfg.warmup, cfg.window, clients.digiAds(x -> warm.next()),
                        sampleRss ? this::sampleRss : null);
                res.add("ours-warm@" + c, r);
                r = Load.run("baseline", c, cfg.warmup, cfg.window, clients.baseline(x -> warm.next()),
                        sampleRss ? this::sampleRss : null);
                res.add("baseline@" + c, r);
                if (sampleRss && rep == cfg.reps) {
                    res.heapInfo = app.heapInfo();
                }
            }
        }
        int top = max(cfg.concurrency);
        phase("the floor under getMetadata's CPU: a plain SDK GetItem loop, " + top + " threads");
        res.sdkFloor = SdkFloor.measure(aws, x -> warm.next(), top, cfg.sdkFloorWarmup, cfg.metadataWindow);
        System.out.printf("  calling threads' CPU %.3f ms per GetItem%n", res.sdkFloor.threadCpuMs());
    }

    // ---- 2. open loop ----------------------------------------------------------------------------

    /**
     * getDigiAds at fixed arrival rates, a share of the highest closed-loop throughput of the same mode in
     * this run (warm, then cold), latency from the intended send time ({@link Load#open}).
     */
    private void openLoop() {
        for (String mode : List.of("warm", "cold")) {
            double max = maxClosedLoopRps("ours-" + mode);
            if (Double.isNaN(max)) {
                res.warn("open loop, " + mode + ": no closed-loop run of this mode to take the maximum throughput from "
                        + "(the latency phase did not run); skipped");
                continue;
            }
            for (double share : cfg.openLoopShares) {
                double rate = share * max;
                phase(String.format(java.util.Locale.ROOT, "open loop: ours, %s cache, %.0f %% of %.1f req/s = %.1f req/s",
                        mode, share * 100, max, rate));
                java.util.function.IntFunction<String> images;
                if (mode.equals("cold")) {
                    cold.ensure((long) Math.ceil(rate * (cfg.warmup.plus(cfg.openLoopWindow).toMillis() / 1000.0) * 1.2) + 16);
                    images = x -> cold.next();
                } else {
                    prewarm(" for the open-loop run at " + Math.round(share * 100) + " %");
                    images = x -> warm.next();
                }
                res.openLoop.add(Load.open("open-" + mode + "@" + Math.round(share * 100), share, rate, cfg.warmup,
                        cfg.openLoopWindow, clients.digiAds(images)));
            }
        }
    }

    /** The highest closed-loop throughput (median over the repetitions) of a mode over the client counts. */
    private double maxClosedLoopRps(String mode) {
        double max = Double.NaN;
        for (int c : cfg.concurrency) {
            double rps = res.median(mode + "@" + c, Load.Result::rps);
            if (!Double.isNaN(rps) && !(rps <= max)) {
                max = rps;
            }
        }
        return max;
    }

    /** The most cold images a window can use: no cold request answers faster than one Deals delay. */
    private long coldBound(int clients, Duration d) {
        return (long) Math.ceil(clients * (d.toMillis() / (double) cfg.dealsDelayMillis + 2)) + 16;
    }

    /** Looks deals up once for every warm image, so that the warm window finds all of them cached. */
    private void prewarm(String where) {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Load.Outcome>> fs = new ArrayList<>();
            for (String id : warm.ids) {
                fs.add(pool.submit(() -> clients.digiAds(x -> id).call(0)));
            }
            long notLive = 0;
            for (Future<Load.Outcome> f : fs) {
                if (!"LIVE".equals(f.get().tag())) {
                    notLive++;
                }
            }
            if (notLive > 0) {
                res.warn(notLive + " of " + warm.ids.size() + " warm images did not get LIVE deals when warming the cache" + where
                        + " (lookups that missed the 800 ms budget or met an open breaker; the warm window then serves"
                        + " those labels from the Deals API or the fallback, not from a fresh cache)");
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdown();
        }
    }

    private void sampleRss(long nanos) {
        long kb = app.rssKb();
        long fileKb = Proc.rssFileKb(app.proc.pid());
        if (kb > 0) {
            synchronized (res.rssUnderLoadKb) {
                if (res.rssUnderLoadKb.stream().allMatch(k -> k < kb)) {
                    res.rssFileAtMaxKb = fileKb;
                }
                res.rssUnderLoadKb.add(kb);
            }
        }
        res.threadsUnderLoadMax = Math.max(res.threadsUnderLoadMax, Proc.threads(app.proc.pid()));
    }

    // ---- 2. cascade ------------------------------------------------------------------------------

    private void cascade() {
        int c = cfg.cascadeClients;
        for (String mode : cfg.cascadeModes) {
            phase("cascade: Deals " + mode);
            Results.Cascade row = new Results.Cascade();
            row.mode = mode;
            if (mode.equals("healthy")) {
                settleBreaker();
                deals.healthy(cfg.dealsDelayMillis);
                cold.ensure(coldBound(c, cfg.warmup.plus(cfg.cascadeWindow)));
                row.breakerStart = app.breakerState();
                row.ours = Load.run("cascade-ours-" + mode, c, cfg.warmup, cfg.cascadeWindow,
                        clients.digiAds(x -> cold.next()), null);
            } else {
                apply(mode);
                row.trip = Load.run("cascade-trip-" + mode, c, Duration.ZERO, cfg.cascadeTrip,
                        clients.digiAds(x -> fail.next()), null);
                row.breakerStart = app.breakerState();
                row.ours = Load.run("cascade-ours-" + mode, c, Duration.ZERO, cfg.cascadeWindow,
                        clients.digiAds(x -> fail.next()), null);
            }
            row.breakerEnd = app.breakerState();
            row.baseline = Load.run("cascade-baseline-" + mode, c, mode.equals("healthy") ? cfg.warmup : Duration.ZERO,
                    cfg.cascadeWindow, clients.baseline(x -> warm.next()), null);
            System.out.println("  " + row.ours);
            System.out.println("      cpu: " + row.ours.cpu.describe());
            System.out.println("  " + row.baseline);
            System.out.println("  breaker " + row.breakerStart + " → " + row.breakerEnd);
            res.cascade.add(row);
            restore(mode);
        }
    }

    private void apply(String mode) {
        switch (mode) {
            case "slow" -> deals.delay(2000);
            case "hanging" -> deals.delay(60000);
            case "http500" -> deals.answer("{\"status\": 500, \"headers\": {\"Content-Type\": \"application/json\"},"
                    + " \"body\": \"{\\\"error\\\": \\\"internal\\\"}\"}");
            case "malformed" -> deals.answer("{\"status\": 200, \"headers\": {\"Content-Type\": \"application/json\"},"
                    + " \"body\": \"{\\\"deals\\\": [{\\\"id\\\": \\\"x\\\", \\\"title\\\": \"}");
            case "reset" -> deals.answer("{\"fault\": \"CONNECTION_RESET_BY_PEER\"}");
            case "empty" -> deals.answer("{\"fault\": \"EMPTY_RESPONSE\"}");
            case "refused" -> deals.stop();
            default -> throw new IllegalArgumentException("unknown cascade mode " + mode);
        }
    }

    private void restore(String mode) {
        if (mode.equals("refused")) {
            deals.start();
            trackWiremock();
        }
        deals.healthy(cfg.dealsDelayMillis);
    }

    /** Before the healthy run: lets an open breaker (e.g. from the 32-client run) close again. */
    private void settleBreaker() {
        if (!res.breakerMetrics) {
            return;
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!app.breakerState().equals("closed") && System.nanoTime() < deadline) {
            try {
                clients.digiAds(x -> cold.next()).call(0);
            } catch (Exception e) {
                // keep trying
            }
            Proc.sleep(500);
        }
    }

    // ---- 3. pipeline -----------------------------------------------------------------------------

    /**
     * The app and the limit loop, their DynamoDB calls through one {@link DynamoRecorder} in front of
     * dynalite that counts them; the app is restarted with its DynamoDB endpoint at the recorder.
     */
    private void pipeline() throws Exception {
        phase("pipeline: the app restarted with its DynamoDB calls through the recorder");
        try (DynamoRecorder recorder = DynamoRecorder.start(dynalite.url());
             Aws pipe = new Aws(moto.url(), rekognition.url(), recorder.url(), 64, aws.definition)) {
            pipe.provisionTables(pipe.limit, false);
            app.proc.stop(Duration.ofSeconds(40));
            appDynamo = recorder.url();
            app = startApp("pipeline", List.of());
            Pipeline p = new Pipeline(pipe, new AwsCalls(moto.url(), Service.motoRecording(cfg), rekognition.url(),
                    recorder));
            Pipeline.Result[] ours = burstAndLight(p, "ours", pipe.app);
            res.appBurst = ours[0];
            res.appLight = ours[1];

            phase("stop the app (graceful)");
            res.shutdown = app.proc.stop(Duration.ofSeconds(40));
            pids.remove("app");

            try (Pipeline.LimitLoop loop = new Pipeline.LimitLoop(pipe, pipe.limit, cfg.limitConsumers)) {
                Pipeline.Result[] limit = burstAndLight(p, "limit", pipe.limit);
                res.limitBurst = limit[0];
                res.limitLight = limit[1];
                res.limitErrors = loop.errors.get();
            }
        } finally {
            appDynamo = dynalite.url();
        }
    }

    /**
     * A pipeline's runs: a few images not measured (the app was started just before, and its first images
     * would time its class loading and JIT rather than its pipeline), a burst (all images put as fast as the
     * put threads go), then light load (one image at a time, at the configured interval): {burst, light}.
     */
    private Pipeline.Result[] burstAndLight(Pipeline p, String name, Aws.Resources resources) throws Exception {
        phase("pipeline: " + name + ", warm-up (" + cfg.pipelineWarmupImages + " images, not measured)");
        System.out.println("  " + p.run(name + " warm-up", resources, "warm-up-", cfg.pipelineWarmupImages, cfg.putThreads,
                Duration.ZERO, cfg.pipelineTimeout));
        phase("pipeline: " + name + ", " + cfg.images + " images");
        Pipeline.Result burst = p.run(name, resources, "burst-", cfg.images, cfg.putThreads, Duration.ZERO,
                cfg.pipelineTimeout);
        System.out.println("  " + burst);
        phase("pipeline: " + name + ", light load (" + cfg.lightImages + " images, one every "
                + cfg.lightInterval.toMillis() + " ms)");
        Pipeline.Result light = p.run(name + " light", resources, "light-", cfg.lightImages, 1, cfg.lightInterval,
                cfg.pipelineTimeout);
        System.out.println("  " + light);
        return new Pipeline.Result[] {burst, light};
    }

    // ---- 4. footprint ----------------------------------------------------------------------------

    private void footprint() {
        for (int i = 2; i <= cfg.starts; i++) {
            phase("start-to-ready " + i + "/" + cfg.starts);
            App a = startApp("start-" + i, List.of());
            res.starts.add(App.Start.of(a));
            a.proc.kill();
            pids.remove("app");
        }
    }

    // ---- profiling -------------------------------------------------------------------------------

    private void profile() throws Exception {
        phase("profile: JFR of the " + max(cfg.concurrency) + "-client runs");
        Path jfr = cfg.work.resolve("app.jfr");
        Files.deleteIfExists(jfr);
        App a = startApp("jfr", List.of("-XX:StartFlightRecording=name=bench,settings=profile,filename=" + jfr,
                "-XX:NativeMemoryTracking=summary"));
        app = a;
        clients = new Clients(a.url(), issuer::token, deals.baseUrl(), (int) cfg.baselineDealsTimeout.toMillis());
        verifySecurity(a);
        int c = max(cfg.concurrency);
        Duration half = cfg.jfrWindow.dividedBy(2);
        // the same warm-up as the latency phase's, so that the recording profiles compiled code
        cold.ensure(coldBound(8, cfg.warmupGlobal) + coldBound(c, half));
        Load.run("jfr-warm-up", 8, Duration.ZERO, cfg.warmupGlobal, client -> client % 2 == 0
                ? clients.digiAds(x -> cold.next()).call(client) : clients.digiAds(x -> warm.next()).call(client), null);
        prewarm(" in the profiling start");
        Instant from = Instant.now();
        res.jfrCold = Load.run("jfr ours-cold", c, Duration.ZERO, half, clients.digiAds(x -> cold.next()), null);
        Instant mid = Instant.now();
        res.jfrWarm = Load.run("jfr ours-warm", c, Duration.ZERO, half, clients.digiAds(x -> warm.next()), null);
        Instant to = Instant.now();
        res.nmtRssKb = a.rssKb();
        res.nmt = a.jcmd("VM.native_memory", "summary");
        Files.writeString(cfg.work.resolve("logs/nmt.txt"), res.nmt);
        Files.writeString(cfg.work.resolve("logs/jcmd.log"), a.jcmd("JFR.dump", "name=bench", "filename=" + jfr));
        a.proc.kill();
        pids.remove("app");
        if (Files.isRegularFile(jfr)) {
            res.jfr = Jfr.summarise(jfr, from, mid, to);
            res.jfrFile = jfr;
        } else {
            res.warn("JFR dump failed: see " + cfg.work.resolve("logs/jcmd.log"));
        }
    }

    // ---- processes -------------------------------------------------------------------------------

    private void startMoto() {
        moto = Service.moto(cfg, procs);
        pids.put("moto", moto.proc().pid());
    }

    private void trackWiremock() {
        procs.add(deals.proc());
        pids.put("wiremock", deals.proc().pid());
    }

    private App startApp(String label, List<String> jvmArgs) {
        App a = App.start(cfg, moto.port(), rekognition.url(), deals.baseUrl(), issuer, label, jvmArgs,
                List.of("--digiads.aws.dynamodb-endpoint-override=" + appDynamo), procs);
        pids.put("app", a.proc.pid());
        System.out.printf("  app %s ready after %.1f s (HTTP after %.1f s)%n", label, a.readyAfter.toMillis() / 1000.0,
                a.httpAfter.toMillis() / 1000.0);
        return a;
    }

    /**
     * Checks that the app runs secured as in production before it is measured: the API refuses a call
     * without a token (401) and answers one with the clients' token (200); operations are not on the
     * public port (404); Prometheus on the management port gives its metrics only with the operator's
     * login (without it: 401, or the login form). Also makes the app fetch the issuer's keys before any
     * measurement.
     */
    private void verifySecurity(App a) {
        String metadata = a.url() + "/api/images/" + Clients.enc(warm.ids.get(0)) + "/metadata";
        String prometheus = a.managementUrl() + "/actuator/prometheus";
        String operator = "Basic " + java.util.Base64.getEncoder().encodeToString(
                ("admin:" + App.ADMIN_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        expect("API call without a token: 401", metadata, Map.of(), r -> r.status() == 401);
        expect("API call with the bearer token: 200", metadata, clients.auth(), r -> r.status() == 200);
        expect("actuator on the public port: 404", a.url() + "/actuator/health", Map.of(), r -> r.status() == 404);
        expect("Prometheus without the operator's login: no metrics", prometheus, Map.of(),
                r -> !(r.status() == 200 && r.text().contains("# HELP")));
        expect("Prometheus with the operator's login: metrics", prometheus, Map.of("Authorization", operator),
                r -> r.status() == 200 && r.text().contains("# HELP"));
    }

    private static void expect(String what, String url, Map<String, String> headers,
                               java.util.function.Predicate<Http.Response> expected) {
        try {
            Http.Response r = Http.get(url, headers, 2000, 30000);
            if (!expected.test(r)) {
                String text = r.text();
                throw new IllegalStateException(what + " expected; got HTTP " + r.status() + " from " + url + ": "
                        + text.substring(0, Math.min(500, text.length())));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(what + ": " + url, e);
        }
    }

    /** A warning for every API call the app refused in a measured run (401, 403, 429): there should be none. */
    private void refusals() {
        Map<String, Long> refused = new java.util.TreeMap<>();
        List<Load.Result> all = new ArrayList<>();
        res.runs.values().forEach(all::addAll);
        res.cascade.forEach(c -> {
            all.add(c.trip);
            all.add(c.ours);
            all.add(c.baseline);
        });
        all.add(res.jfrCold);
        all.add(res.jfrWarm);
        for (Load.Result r : all) {
            if (r != null) {
                r.tags.forEach((tag, n) -> {
                    if (tag.matches("(http|metadata)-(401|403|429)")) {
                        refused.merge(tag, n, Long::sum);
                    }
                });
            }
        }
        if (!refused.isEmpty()) {
            res.warn("the app refused API calls of the suite (" + refused + "): those requests count as errors, "
                    + "and the figures they are in do not measure the API's work");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** With BENCH_QUIET_WAIT_S: waits (at most that long) until the machine is nearly idle for 5 s. */
    private void waitForQuiet() {
        if (cfg.quietWait.isZero()) {
            return;
        }
        phase("waiting up to " + cfg.quietWait.toSeconds() + " s for a quiet machine");
        long deadline = System.nanoTime() + cfg.quietWait.toNanos();
        while (System.nanoTime() < deadline) {
            long[] a = Proc.machineTicks();
            Proc.sleep(5000);
            long[] b = Proc.machineTicks();
            double cores = (b[0] - a[0]) / Cpu.CLK_TCK / 5.0;
            System.out.printf("  machine busy: %.0f %% of one core%n", cores * 100);
            if (cores < 0.25) {
                return;
            }
        }
        res.warn("the machine was not quiet when the run started (other processes kept the CPU busy)");
    }

    static int max(int[] values) {
        return Arrays.stream(values).max().orElse(0);
    }

    private void machine() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("CPU", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores available to the JVM");
        m.put("Memory", meminfo("MemTotal") + " total");
        m.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")");
        m.put("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + "; default GC here: " + String.join(" + ",
                ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName()).toList()));
        m.put("App JVM flags", cfg.appJvm.describe());
        m.put("CPU pinning", cfg.pinning.on() ? cfg.pinning.describe() + " (`BENCH_PIN`)"
                : "none (`BENCH_PIN` unset; see Method)");
        if (!cfg.appArgs.isEmpty()) {
            m.put("Extra app arguments (BENCH_APP_ARGS)", String.join(" ", cfg.appArgs));
        }
        m.put("moto", read(cfg.repo.resolve(".venv-moto/.moto-version"), "?") + " (single Python process)");
        m.put("dynalite", Service.dynaliteVersion(cfg) + " (npm, one Node.js process; DynamoDB in every phase)");
        m.put("WireMock", "standalone 3.13.2, own JVM (-Xmx256m), async delayed responses");
        m.put("Token issuer", "the project's local issuer (digiads.local.LocalIssuer, Spring Authorization Server, from "
                + "the app's test classes), own JVM (-Xmx256m)");
        m.put("Load average at start", read(Path.of("/proc/loadavg"), "?"));
        m.put("Commit", git(cfg.repo));
        res.machine = m;
        m.forEach((k, v) -> System.out.println(k + ": " + v));
    }

    /** The application.properties packed in the jar (the defaults the app runs with here). */
    private Map<String, String> appProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(cfg.appJar.toFile())) {
            var entry = zip.getEntry("BOOT-INF/classes/application.properties");
            if (entry != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(zip.getInputStream(entry));
                p.stringPropertyNames().stream().sorted().forEach(k -> props.put(k, p.getProperty(k)));
            }
        } catch (IOException e) {
            res.warn("could not read application.properties from the jar: " + e.getMessage());
        }
        return props;
    }

    static String git(Path repo) {
        String dirty = command(repo, "git", "status", "--porcelain", "--", "src", "pom.xml");
        return command(repo, "git", "log", "-1", "--format=%h %s")
                + (dirty.isEmpty() ? "" : " (with uncommitted changes in src/ or pom.xml)");
    }

    /** A command's output (run in the repository), trimmed; "?" when it cannot run or fails. */
    static String command(Path repo, String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? out : "?";
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "?";
    }

    static String meminfo(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith(key + ":")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format("%.1f GiB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "?";
    }

    static String read(Path p, String dflt) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return dflt;
        }
    }
}
