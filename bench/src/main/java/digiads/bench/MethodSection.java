package digiads.bench;

/** The report's Method section: how each figure was made, from the run's own settings (so it stays true). */
final class MethodSection {

    /** Why the suite does not pin its processes to cores by default. */
    static final String PINNING_NOTE = "on these 2 cores it did not make the figures steadier. Two smoke runs of the "
            + "32-client latency phase (3 repetitions each, 2026-11-27, load average 7–12 from other work on the machine) "
            + "spread the p50 of the repetitions ((max − min) ÷ median) unpinned vs pinned by: getMetadata 79 % vs 147 %, "
            + "ours cold 30 % vs 224 % (one pinned repetition opened the Deals breaker), ours warm 29 % vs 108 %, baseline "
            + "100 % vs 93 %. With 2 cores, any split gives the app one core for its requests, JIT and GC while moto, both "
            + "WireMocks and the load generator queue on the other, and each idles when the other is the bottleneck. "
            + "`BENCH_PIN=1` pins the app to core 1 and the emulators and the load generator to core 0.";

    private final Config cfg;
    private final Results res;
    private final Figures previous;
    private final int top;
    private final StringBuilder out = new StringBuilder("## Method\n\n");

    private MethodSection(ReportData d) {
        this.cfg = d.cfg;
        this.res = d.res;
        this.previous = d.previous;
        this.top = d.top;
    }

    static String render(ReportData d) {
        MethodSection m = new MethodSection(d);
        m.build();
        return m.out.toString();
    }

    private void line(String s) {
        out.append(s).append('\n');
    }

    private void build() {
        line("- **Processes.** moto " + res.machine.getOrDefault("moto", "") + " plays S3, SQS, DynamoDB and Rekognition; "
                + "WireMock standalone in its own JVM answers DetectModerationLabels, which moto lacks, and passes every other "
                + "Rekognition call on to moto (`src/test/resources/rekognition`); "
                + "WireMock standalone 3.13.2 in its own JVM plays the Deals API with the project's mappings "
                + "(`src/test/resources/deals`) and a global fixed delay of " + cfg.dealsDelayMillis + " ms on every answer "
                + "(`POST /__admin/settings`); the project's local OAuth2 issuer (`digiads.local.LocalIssuer`, Spring "
                + "Authorization Server, run from the app's test classes) in its own JVM issues the API's tokens; the app is "
                + "the packaged jar with the container's JVM flags (`java @docker/jvm.options -XX:MaxRAM=" + cfg.appJvm.maxRam()
                + " -jar …`: the flags the image runs with, the memory limit of the app service in docker/compose.yaml), no profile, endpoints, static test keys, account "
                + "id, Deals URL and API key as command-line properties; the issuer URI, the operator password and a management "
                + "port of its own as environment variables, as in production). All share the "
                + "machine's 2 cores with the load generator, so every table gives the CPU each process used (in % of one core; "
                + "200 % = both cores); the issuer, idle once the app has its keys, is left out of the tables and of *other*. "
                + (cfg.pinning.on() ? "Pinned with taskset: " + cfg.pinning.describe() + "."
                        : "No CPU pinning: " + PINNING_NOTE));
        line("- **Security as in production.** Every API call the clients make (ours, getMetadata alone, the baseline's "
                + "getMetadata) carries `Authorization: Bearer <access token>`: one token of the client `digiads-dev` (both "
                + "scopes), fetched from the issuer by `client_credentials` before the app starts and again only before it "
                + "expires (" + res.tokensFetched + " fetched in this run). The app validates it on every request (Spring "
                + "Security's resource server: the JWT's RS256 signature against the issuer's keys, fetched once and cached, "
                + "then issuer, lifetime, `token_use`, and the operation's scope), so every latency and throughput below includes "
                + "that check. Before measuring, the suite checks that the API answers 401 without the token and 200 with it, "
                + "that `/actuator` is not on the public port, and that Prometheus on the management port wants the operator's "
                + "login. Health and Prometheus are read on the management port. The per-client write limit "
                + (cfg.appArgs.stream().anyMatch(arg -> arg.contains("write-rate"))
                        ? "is set by `BENCH_APP_ARGS` in this run (see [Machine](#machine))"
                        : "keeps its production setting (" + res.appProps.getOrDefault("digiads.security.write-rate.per-second", "?")
                                + " writes/s, burst " + res.appProps.getOrDefault("digiads.security.write-rate.burst", "?") + ")")
                + ": the suite makes no API writes (the pipeline puts its images straight into the bucket), so nothing here "
                + "meets it. Refused calls (401, 403, 429) would be counted as errors and listed under warnings.");
        line("- **Resources** are provisioned with the AWS SDK v2 as `infra/resources.json` defines them, as "
                + "`src/test/java/digiads/local/AwsResources.java` does (same names, visibility timeouts, retention, DLQs, the "
                + "bucket's event notification with the lowercase `prefix` filter rule). The limit loop gets its own bucket, "
                + "queues and table (`limit-*`).");
        line("- **Images for getDigiAds** are metadata items with 3 labels written straight into the table in the layout of "
                + "`MetadataItemMapper` (moto's DetectLabels returns a single label). *Cold*: every request asks for an image "
                + "whose labels (`Label-<n>-a/b/c`) were never looked up, so each needs 3 Deals calls. *Warm*: " + cfg.warmItems
                + " images whose deals were looked up just before the window (fresh for 60 s).");
        line("- **Clients** are closed-loop (each sends its next request when the previous answered, no think time) over "
                + "HTTP/1.1 keep-alive. Each run has a " + cfg.warmup.toSeconds() + " s warm-up (not recorded) and a "
                + cfg.window.toSeconds() + " s window (" + cfg.metadataWindow.toSeconds() + " s for getMetadata alone); "
                + "the whole suite starts with a " + cfg.warmupGlobal.toSeconds() + " s mixed warm-up. Latency is recorded in "
                + "HdrHistogram from send to last byte. Each (mode, clients) is repeated " + cfg.reps + " times, interleaved; "
                + "tables give the **median over the repetitions** of each percentile, charts the pooled distribution.");
        line("- **Baseline (the seed's design)**, measured in the same run: a client that calls getMetadata "
                + "(`GET /api/images/{id}/metadata` on the app), then `GET /deals?q=<label>` on WireMock once per label of "
                + "the top 3, one after the other, with the same " + cfg.dealsDelayMillis + " ms delay; any failed call fails "
                + "the request. It has no cache, so it behaves the same for cold and warm images. Its Deals calls time out "
                + "after " + cfg.baselineDealsTimeout.toSeconds() + " s (the seed had none: a hanging Deals API would hold a "
                + "request 3 × 60 s).");
        line("- **Limits, at each client count**: warm = getMetadata alone with the same number of clients (the read every "
                + "getDigiAds makes, under the same load); cold = that plus one Deals round trip measured with the same number "
                + "of clients calling WireMock directly (the lookups can run in parallel, so one round trip is the least they "
                + "cost). The same percentile is added (p99 limit = p99 metadata + p99 Deals round trip). Earlier reports "
                + "measured both at 1 client only, so their limit at 8 and 32 clients left out the queueing every design "
                + "meets on the shared cores.");
        line("- **CPU floor**: after the latency runs, a plain AWS SDK loop in the suite's own JVM makes the GetItem every "
                + "getMetadata makes (the same table and items, a strongly consistent read, the SDK's Apache HTTP client) from "
                + Bench.max(cfg.concurrency) + " platform threads; one client of the suite's warm-up made the same calls, then "
                + cfg.sdkFloorWarmup.toSeconds() + " s more let its code compile, then " + cfg.metadataWindow.toSeconds() + " s in which each call's CPU time on its calling thread is taken "
                + "(`ThreadMXBean`: signing, marshalling, the HTTP client, unmarshalling; no GC or JIT). That is what the one "
                + "AWS call of every API request costs before the app does anything of its own.");
        line("- **Cascade**: " + cfg.cascadeClients + " clients per mode. Healthy uses cold images. For each failure mode the "
                + "suite first runs " + cfg.cascadeTrip.toSeconds() + " s to let the breaker open, then measures "
                + cfg.cascadeWindow.toSeconds() + " s (one window, percentiles of that window; "
                + (cfg.cascadeTrip.plus(cfg.cascadeWindow).toSeconds() > 10
                        ? "with the run before it, it spans more than the breaker's 10 s open state, so half-open probes fall inside it"
                        : "shorter than the breaker's 10 s open state, so it may hold no half-open probe")
                + "). Those runs use images whose labels never got deals "
                + "(a failed lookup caches nothing), so every request still wants the Deals API. Failure modes: *slow* = "
                + "fixed delay 2 s, *hanging* = fixed delay 60 s, *http500* = every answer 500, *malformed* = 200 with "
                + "truncated JSON, *reset* = WireMock fault `CONNECTION_RESET_BY_PEER` "
                + "(the JDK's HttpURLConnection of the baseline client retries an idempotent GET once after a reset), *refused* = the WireMock process "
                + "stopped (nothing listens on the port; restarted afterwards). "
                + "Time waiting on Deals: for the baseline the measured time inside its Deals calls; for ours an upper bound, "
                + "the request latency minus the median getMetadata latency at the same number of clients.");
        line("- **Pipeline**: JPEGs made with ImageIO (64×48, ~1 KB, all different) are put to the bucket, " + cfg.putThreads
                + " PutObject calls at a time; a poller reads the items back (BatchGetItem every 250 ms). An image's "
                + "put→readable latency is its item's `updatedAt` (set just before the item is written) minus the end of its PutObject, "
                + "split at its `extractedAt` (set once Rekognition answered) into put → labeled and labeled → readable; "
                + "throughput is images / (last item written − first put started). Each pipeline first takes "
                + cfg.pipelineWarmupImages + " images unmeasured (the app is started just before the phase), then the burst, then the "
                + "light load: " + cfg.lightImages + " images, one every " + cfg.lightInterval.toMillis() + " ms, so both "
                + "pipelines' light runs come after as many images through the same processes (earlier reports ran ours' light load "
                + "right after its warm-up, with the app, moto and the Rekognition stand-in barely warm, and the limit loop's after "
                + "ours' 1,080 images). The **limit** is a plain AWS SDK loop on its own "
                + "bucket/queues/table, run after the app has stopped: " + cfg.limitConsumers + " pollers per queue like the "
                + "app's consumers; ReceiveMessage 10 with 20 s long polling → DetectLabels → DetectModerationLabels (through the "
                + "same Rekognition stand-in as the app) → SendMessageBatch → DeleteMessageBatch, and ReceiveMessage 10 → one TransactWriteItems per image "
                + "(the item in the same layout with its label index entries and counts, built by the app's own "
                + "`digiads.labels.StateTransactions` for an image not stored before; no GetItem first) → DeleteMessageBatch. "
                + "No sniffing GET, no framework.");
        line("- **Pipeline's DynamoDB: dynalite.** In this phase, for ours and the limit loop alike, DynamoDB is "
                + "[dynalite](https://github.com/architect/dynalite) " + Dynalite.version(cfg)
                + " (npm, LevelDB under `bench/target/run/dynalite-db`), the app restarted with "
                + "`digiads.aws.dynamodb-endpoint-override`; S3, SQS, SNS and Rekognition stay on moto. The app stores each "
                + "image's state with its label index in one TransactWriteItems, and moto's TransactWriteItems deep-copies "
                + "each table it touches once per action (its Query reads and sorts the whole table): on moto one such "
                + "write took 36 ms on empty tables and 1.8 s once 200 images were indexed, against the app's 2.5 s "
                + "per-call timeout, an emulator cost that grows with the table, not the app's. dynalite's writes and "
                + "reads do not copy or scan the table. Both pipelines reach dynalite through the recorder of the search "
                + "benchmark (`DynamoRecorder`), which counts their DynamoDB calls by operation (the suite's polls left "
                + "out). dynalite has no TransactWriteItems: the recorder serves one by its actions on dynalite, the "
                + "conditional ones first, one after the other (a failed condition cancels with DynamoDB's reasons), then "
                + "the others at once; not atomic, which no run here relies on (each image's state is written once), and "
                + "it counts as the one call the pipeline made; the latency, open-loop, cascade, footprint and profile phases keep DynamoDB on moto.");
        line("- **Memory**: RSS (`VmRSS`) and threads of the app sampled every 250 ms during the " + top + "-client runs "
                + "of section 1, and the mapped files' part of it (`RssFile`) at the largest sample; native memory by category from `jcmd <pid> VM.native_memory summary` of the profiling start "
                + "(`-XX:NativeMemoryTracking=summary`) after its " + top + "-client runs.");
        line("- **Previous run**: every run writes its headline figures to `" + Figures.FILE + "` next to the report and "
                + "prints the figures of docs/" + Figures.FILE + " before it (the last full run's; here: " + previous.describe()
                + (previous.method().isEmpty() ? "" : "; " + previous.method()) + ") beside its own; a "
                + "smoke or partial run writes its own under bench/target/run/.");
        line("- **Footprint**: start-to-ready = process start → first `200 UP` from `/actuator/health` on the management "
                + "port (polled every 100 ms; *HTTP answers* = its first answer of any kind), "
                + "over " + cfg.starts + " starts; RSS = `VmRSS` of `/proc/<pid>/status` every 250 ms during the " + top
                + "-client runs. The start target takes the start mode's median (`bench/run.sh start`: the extracted jar with "
                + "the AOT cache, as the image runs it; its figures in `" + Figures.START_FILE + "`) when that has run, else "
                + "these starts of the jar as built.");
        line("- Closed-loop clients (section 1) slow down with the server, so their percentiles leave out the queueing a "
                + "fixed arrival rate would meet (coordinated omission); ratios between designs under the same clients are "
                + "still like for like. Section 2 measures that queueing with an open loop.");
        out.append(OpenLoopSection.method(cfg));
        line("");
    }
}
