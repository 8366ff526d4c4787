package digiads.bench;

import java.io.*;
import java.lang.management.*;
import java.net.*;
import java.net.http.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.zip.CRC32;

import com.sun.net.httpserver.*;
import digiads.metadata.*;
import org.apache.camel.*;
import org.apache.camel.Endpoint;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import software.amazon.awssdk.auth.credentials.*;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.*;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * {@code bench/run.sh floor}: the client's CPU for one GetItem (getMetadata's read) and one Deals GET, on one
 * core, against a static server on the other; docs/bench-floor.md. Three roles, each its own JVM: this
 * orchestrator (pinned with the server), the {@code server} (fixed bodies: moto's GetItem answer with its
 * {@code x-amz-crc32}, and a Deals answer) and one {@code client} JVM per measured cell, with the app's flags.
 */
public final class Floor {

    static final String RESULT = "FLOOR-RESULT ";
    static final int ITEMS = 64;

    enum Kind {
        APACHE("SDK GetItem, Apache (the app's)", "Apache"), URLCONNECTION("SDK GetItem, url-connection", "url-connection"),
        CRT("SDK GetItem, CRT", "CRT"), NETTY("SDK GetItem, Netty async (joined)", "Netty (async)"),
        DEALS("Deals GET, Camel http (the app's)", "Camel http");

        final String title;
        final String shortName;

        Kind(String title, String shortName) {
            this.title = title;
            this.shortName = shortName;
        }
    }

    enum Target {
        STATIC("static, keep-alive"), STATIC_CLOSE("static, Connection: close"), MOTO("moto (Connection: close)");

        final String title;

        Target(String title) {
            this.title = title;
        }
    }

    record Cell(Kind kind, Target target, int threads) {
    }

    /** What a client JVM measured in its window. */
    record Measured(long calls, long errors, double seconds, long threadCpuNanos, long processCpuNanos,
                    long jitCpuNanos, String firstError, double warmupSeconds) {
        private double perCall(long nanos) {
            return calls == 0 ? Double.NaN : nanos / 1e6 / calls;
        }

        double threadCpuMs() {
            return perCall(threadCpuNanos);
        }

        double processCpuMs() {
            return perCall(processCpuNanos);
        }

        double jitCpuMs() {
            return perCall(jitCpuNanos);
        }

        /** The process's CPU per call less the JIT's: the cost of a call once the code is compiled. */
        double steadyCpuMs() {
            return perCall(processCpuNanos - jitCpuNanos);
        }

        double rps() {
            return calls / seconds;
        }

        double busy() {
            return processCpuNanos / 1e9 / seconds;
        }
    }

    record Run(Cell cell, int rep, Measured m) {
    }

    /** At least {@code time} and {@code calls} calls (the JIT done even on a loaded machine), at most {@code cap}. */
    record Warmup(long time, long calls, long cap) {
    }

    /** The settings of a floor run, from BENCH_FLOOR_* variables. */
    record Settings(Path repo, Warmup warmup, Warmup motoWarmup, long window, int reps, List<Integer> threads,
                    String clientCore, String serverCore, double quietLoad, long quietWait) {
        static Settings fromEnv(Path repo) {
            Map<String, String> cores = new HashMap<>();
            for (String part : Config.env("BENCH_FLOOR_CORES", "client:0,server:1").split(",")) {
                cores.put(part.trim().split(":")[0], part.trim().split(":")[1]);
            }
            long warm = Config.num("BENCH_FLOOR_WARMUP", 15);
            // moto answers a few hundred calls a second at best: fewer calls, a shorter cap
            return new Settings(repo, new Warmup(warm, Config.num("BENCH_FLOOR_WARMUP_CALLS", 20000),
                    Config.num("BENCH_FLOOR_WARMUP_CAP", 60)), new Warmup(warm,
                    Config.num("BENCH_FLOOR_MOTO_WARMUP_CALLS", 3000), Config.num("BENCH_FLOOR_MOTO_WARMUP_CAP", 30)),
                    Config.num("BENCH_FLOOR_WINDOW", 10), Config.num("BENCH_FLOOR_REPS", 3),
                    Arrays.stream(Config.env("BENCH_FLOOR_THREADS", "1,32").split(",")).map(t -> Integer.parseInt(t.trim()))
                            .toList(), cores.getOrDefault("client", "0"), cores.getOrDefault("server", "1"),
                    Double.parseDouble(Config.env("BENCH_FLOOR_QUIET_LOAD", "1.5")), Config.num("BENCH_FLOOR_QUIET_WAIT", 300));
        }
    }

    /** The app's settings this floor copies, from application.properties. */
    record AppSettings(String table, Duration connectTimeout, Duration socketTimeout, int maxConnections,
                       Duration attemptTimeout, Duration callTimeout, long dealsConnectMs, long dealsResponseMs,
                       int dealsConnections, int dealsLimit, String apiKeyHeader) {
        static AppSettings of(Path repo) throws IOException {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(repo.resolve("src/main/resources/application.properties"))) {
                p.load(in);
            }
            return new AppSettings(p.getProperty("digiads.dynamodb.table"), duration(p, "digiads.aws.connect-timeout"),
                    duration(p, "digiads.aws.socket-timeout"), Integer.parseInt(p.getProperty("digiads.aws.max-connections")),
                    duration(p, "digiads.aws.timeouts.dynamodb-api-call-attempt"),
                    duration(p, "digiads.aws.timeouts.dynamodb-api-call"),
                    Long.parseLong(p.getProperty("digiads.deals.connect-timeout-millis")),
                    Long.parseLong(p.getProperty("digiads.deals.response-timeout-millis")),
                    Integer.parseInt(p.getProperty("digiads.deals.bulkhead-max-concurrent-calls")),
                    Integer.parseInt(p.getProperty("digiads.deals.limit")), p.getProperty("digiads.deals.api-key-header"));
        }

        private static Duration duration(Properties p, String key) {
            String v = p.getProperty(key).trim();
            return v.endsWith("ms") ? Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)))
                    : v.endsWith("s") ? Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)))
                    : Duration.ofMillis(Long.parseLong(v));
        }
    }

    private Floor() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("server")) {
            server(Files.readAllBytes(Path.of(args[1])), Files.readAllBytes(Path.of(args[2])));
        } else {
            client(Kind.valueOf(args[1]), Integer.parseInt(args[2]), args[3], new Warmup(Long.parseLong(args[4]),
                    Long.parseLong(args[5]), Long.parseLong(args[6])), Long.parseLong(args[7]), Path.of(args[8]));
        }
    }

    // ---- the orchestrator ----------------------------------------------------------------------

    /** Runs the floor mode; the exit code. */
    static int run(Path repo) {
        List<Proc> started = Collections.synchronizedList(new ArrayList<>());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Proc.killAll(started)));
        try {
            new Orchestrator(Settings.fromEnv(repo), started).run();
            return 0;
        } catch (Throwable t) {
            t.printStackTrace();
            return 1;
        } finally {
            started.forEach(p -> p.stop(Duration.ofSeconds(5)));
        }
    }

    static final class Orchestrator {
        final Settings s;
        final List<Proc> started;
        final Path work;
        final Instant began = Instant.now();
        final List<Run> runs = new ArrayList<>();
        final List<String> loads = new ArrayList<>();
        final List<String> jvmFlags;
        String quietWaited = "";
        String motoVersion;
        long getItemBytes;
        long dealsBytes;

        Orchestrator(Settings s, List<Proc> started) {
            this.s = s;
            this.started = started;
            this.work = s.repo.resolve("bench/target/floor");
            this.jvmFlags = AppJvm.of(s.repo).args();
        }

        void run() throws Exception {
            Files.createDirectories(work);
            Pinning.taskset(ProcessHandle.current().pid(), s.serverCore);
            AppSettings app = AppSettings.of(s.repo);
            waitForQuiet();
            loads.add("start " + Modes.loadAverage());

            System.out.println("[floor] moto on core " + s.serverCore + ", its table and " + ITEMS + " items");
            int motoPort = Proc.freePort();
            motoVersion = Bench.read(s.repo.resolve(".venv-moto/.moto-version"), "?");
            Proc moto = start("moto", List.of("taskset", "-c", s.serverCore,
                    s.repo.resolve(".venv-moto/bin/moto_server").toString(), "-H", "127.0.0.1", "-p", "" + motoPort));
            moto.await(Duration.ofSeconds(60), () -> Proc.listening(motoPort));
            String motoUrl = "http://127.0.0.1:" + motoPort;
            Path getItemBody = Files.writeString(work.resolve("getitem.json"), seed(motoUrl, app));
            Path dealsBody = Files.writeString(work.resolve("deals.json"), dealsBody(app.dealsLimit()));
            getItemBytes = Files.size(getItemBody);
            dealsBytes = Files.size(dealsBody);

            System.out.println("[floor] the static server on core " + s.serverCore);
            Proc server = start("server", List.of(Proc.java(), "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                    System.getProperty("java.class.path"), Floor.class.getName(), "server", getItemBody.toString(),
                    dealsBody.toString()));
            Pinning.taskset(server.pid(), s.serverCore);
            server.await(Duration.ofSeconds(30), () -> server.tail(1).startsWith("ports "));
            String[] ports = server.tail(1).split(" ");
            Map<Target, String> urls = Map.of(Target.STATIC, "http://127.0.0.1:" + ports[1],
                    Target.STATIC_CLOSE, "http://127.0.0.1:" + ports[2], Target.MOTO, motoUrl);

            List<Cell> cells = new ArrayList<>();
            for (int t : s.threads) {
                Arrays.stream(Kind.values()).forEach(k -> cells.add(new Cell(k, Target.STATIC, t)));
                cells.add(new Cell(Kind.APACHE, Target.STATIC_CLOSE, t));
                cells.add(new Cell(Kind.APACHE, Target.MOTO, t));
            }
            for (int rep = 1; rep <= s.reps; rep++) {
                for (Cell c : cells) {
                    System.out.printf("[floor] %d/%d %s, %s, %d thread(s)  (load average %s)%n", rep, s.reps,
                            c.kind.title, c.target.title, c.threads, Modes.loadAverage());
                    Measured m = client(c, urls.get(c.target), rep);
                    runs.add(new Run(c, rep, m));
                    System.out.printf(Locale.ROOT, "        thread CPU %.3f ms, process CPU %.3f ms (JIT %.3f) per call, "
                                    + "%.0f/s, core %.0f %%, errors %d%n", m.threadCpuMs(), m.processCpuMs(),
                            m.jitCpuMs(), m.rps(), m.busy() * 100, m.errors);
                }
                loads.add("after repetition " + rep + " " + Modes.loadAverage());
                // after each repetition, so that a run stopped early leaves the report of those it finished
                Path out = s.repo.resolve(Config.env("BENCH_DOCS", "docs")).resolve("bench-floor.md");
                Files.createDirectories(out.getParent());
                Files.writeString(out, Md.render("bench-floor", new FloorReport(this)));
                System.out.println("[floor] wrote " + out + " (" + rep + " of " + s.reps + " repetitions)");
            }
        }

        Measured client(Cell c, String url, int rep) throws Exception {
            String name = ("client-" + c.kind + "-" + c.target + "-" + c.threads + "-" + rep).toLowerCase(Locale.ROOT);
            Warmup w = c.target == Target.MOTO ? s.motoWarmup : s.warmup;
            List<String> cmd = new ArrayList<>(List.of("taskset", "-c", s.clientCore, Proc.java()));
            cmd.addAll(jvmFlags);
            // the url-connection client keeps this many idle connections per host (the JDK's default is 5)
            cmd.addAll(List.of("-Dhttp.maxConnections=64", "-cp", System.getProperty("java.class.path"),
                    Floor.class.getName(), "client", c.kind.name(), "" + c.threads, url, "" + w.time(), "" + w.calls(),
                    "" + w.cap(), "" + s.window, s.repo.toString()));
            Proc p = start(name, cmd);
            if (!p.process.waitFor(w.cap() + s.window + 120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the client did not end: " + p.log);
            }
            started.remove(p);
            for (String line : Files.readAllLines(p.log)) {
                if (line.startsWith(RESULT)) {
                    return Clients.JSON.readValue(line.substring(RESULT.length()), Measured.class);
                }
            }
            throw new IllegalStateException("no result from the client (exit " + p.process.exitValue() + "): " + p.log
                    + "\n" + p.tail(30));
        }

        /** Creates the app's table in moto, puts items as the app writes them; GetItem's raw answer body. */
        String seed(String motoUrl, AppSettings app) throws Exception {
            String key = MetadataItemMapper.KEY;
            try (SdkHttpClient http = ApacheHttpClient.builder().build();
                 DynamoDbClient ddb = DynamoDbClient.builder().httpClient(http).region(Region.US_EAST_1)
                         .credentialsProvider(credentials()).endpointOverride(URI.create(motoUrl)).build()) {
                ddb.createTable(b -> b.tableName(app.table()).keySchema(k -> k.attributeName(key).keyType("HASH"))
                        .attributeDefinitions(a -> a.attributeName(key).attributeType("S")).billingMode("PAY_PER_REQUEST"));
                MetadataItemMapper mapper = new MetadataItemMapper(TombstoneLife.fixed(Duration.ofDays(1)));
                for (int i = 0; i < ITEMS; i++) {
                    ImageMetadata item = metadata("floor-" + i);
                    ddb.putItem(b -> b.tableName(app.table()).item(mapper.toItem(item)));
                }
            }
            // the answer as moto sends it: the static server's body
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(motoUrl + "/"))
                    .header("Content-Type", "application/x-amz-json-1.0")
                    .header("X-Amz-Target", "DynamoDB_20120810.GetItem")
                    .header("Authorization", "AWS4-HMAC-SHA256 Credential=floor/20260101/us-east-1/dynamodb/aws4_request, "
                            + "SignedHeaders=host, Signature=0")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"TableName\": \"" + app.table() + "\", \"Key\": {\""
                            + key + "\": {\"S\": \"floor-0\"}}, \"ConsistentRead\": true}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || !Clients.JSON.readTree(r.body()).has("Item")) {
                throw new IllegalStateException("moto's GetItem answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        }

        void waitForQuiet() {
            long t0 = System.nanoTime();
            while (load1() > s.quietLoad && System.nanoTime() - t0 < s.quietWait * 1_000_000_000L) {
                Proc.sleep(5000);
            }
            long waited = (System.nanoTime() - t0) / 1_000_000_000L;
            if (waited > 0) {
                quietWaited = Md.fmt("waited %d s for the 1-minute load average to fall below %.1f (%s)", waited,
                        s.quietLoad, load1() <= s.quietLoad ? "it did" : "it did not; measured anyway");
            }
        }

        private static double load1() {
            return Double.parseDouble(Modes.loadAverage().split(" ")[0]);
        }

        Proc start(String name, List<String> command) {
            Proc p = Proc.start(name, command, work, work.resolve(name + ".log"), Map.of());
            started.add(p);
            return p;
        }
    }

    /** An image's metadata as the pipeline stores it: labeled with three labels, moderated, nothing found. */
    static ImageMetadata metadata(String imageId) {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        return new ImageMetadata(ImageMetadata.SCHEMA_VERSION, ImageMetadata.SCHEMA_MINOR, imageId, "digiads-images",
                "images/" + imageId, Integer.toHexString(imageId.hashCode()), 48213, "image/jpeg", MetadataStatus.LABELED,
                null, List.of(new Label("Lamp", 98.2f, List.of("Furniture")), new Label("Table", 91.5f, List.of("Furniture")),
                new Label("Living Room", 84.0f, List.of("Indoors", "Room"))), "3.0", List.of(), "7.0", now, null,
                "T" + String.format(Locale.ROOT, "%019d", now.toEpochMilli()));
    }

    /** The Deals API's answer for one label: {@code limit} deals in the shape of the project's stub. */
    static String dealsBody(int limit) {
        StringJoiner deals = new StringJoiner(", ", "{\"deals\": [", "]}");
        for (int i = 0; i < limit; i++) {
            deals.add(Md.fmt("{\"id\": \"floor-lamp-%d\", \"title\": \"Floor lamp offer %d\", \"price\": %d.99, "
                    + "\"currency\": \"USD\", \"merchant\": \"ShopRight\", \"url\": \"https://deals.example/floor-lamp/%d\"}",
                    i, i, 20 + 7 * i, i));
        }
        return deals.toString();
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("floor", "floor"));
    }

    // ---- the static server -------------------------------------------------------------------

    /**
     * Answers every POST with the GetItem body as DynamoDB does (keep-alive, a request id and the body's CRC32,
     * which the SDK checks), {@code GET /deals} with the Deals body; a second port the same with
     * {@code Connection: close}. Prints the ports.
     */
    static void server(byte[] item, byte[] deals) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(item);
        StringBuilder ports = new StringBuilder("ports");
        for (boolean close : new boolean[] {false, true}) {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
            server.createContext("/", ex -> answer(ex, item, "application/x-amz-json-1.0", "" + crc.getValue(), close));
            server.createContext("/deals", ex -> answer(ex, deals, "application/json", null, close));
            server.setExecutor(Executors.newFixedThreadPool(8));
            server.start();
            ports.append(' ').append(server.getAddress().getPort());
        }
        System.out.println(ports);
    }

    private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private static void answer(HttpExchange ex, byte[] body, String type, String crc32, boolean close) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        var h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        if (crc32 != null) {
            char[] id = new char[52];
            for (int i = 0; i < id.length; i++) {
                id[i] = ID_CHARS[ThreadLocalRandom.current().nextInt(ID_CHARS.length)];
            }
            h.set("x-amzn-RequestId", new String(id));
            h.set("x-amz-crc32", crc32);
            h.set("Server", "Server");
        }
        if (close) {
            h.set("Connection", "close");
        }
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    // ---- a client JVM ------------------------------------------------------------------------

    /** One call of the stack under test. */
    interface Call {
        void call(long n) throws Exception;
    }

    /** Warms up, measures one window, prints the result as a RESULT line. */
    static void client(Kind kind, int threads, String url, Warmup warmup, long window, Path repo) throws Exception {
        List<AutoCloseable> closeables = new ArrayList<>();
        Call call = kind == Kind.DEALS ? deals(url, AppSettings.of(repo), closeables)
                : getItem(kind, url, AppSettings.of(repo), closeables);
        ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder calls = new LongAdder();
        LongAdder warmCalls = new LongAdder();
        LongAdder errors = new LongAdder();
        LongAdder cpu = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            long first = t;
            Thread.ofPlatform().name("floor-" + t).start(() -> {
                for (long n = first; !stop.get(); n++) {
                    long before = tmx.getCurrentThreadCpuTime();
                    boolean ok = true;
                    try {
                        call.call(n);
                    } catch (Exception e) {
                        ok = false;
                        firstError.compareAndSet(null, e.toString());
                    }
                    long spent = tmx.getCurrentThreadCpuTime() - before;
                    if (!measuring.get()) {
                        warmCalls.increment();
                    } else if (ok) {
                        calls.increment();
                        cpu.add(spent);
                    } else {
                        errors.increment();
                    }
                }
                done.countDown();
            });
        }
        long w0 = System.nanoTime();
        Thread.sleep(warmup.time() * 1000);
        while (warmCalls.sum() < warmup.calls() && System.nanoTime() - w0 < warmup.cap() * 1_000_000_000L) {
            Thread.sleep(100);
        }
        double warmupSeconds = (System.nanoTime() - w0) / 1e9;
        long cpu0 = os.getProcessCpuTime();
        long jit0 = Proc.jitTicks(ProcessHandle.current().pid());
        long t0 = System.nanoTime();
        measuring.set(true);
        Thread.sleep(window * 1000);
        measuring.set(false);
        long t1 = System.nanoTime();
        long cpu1 = os.getProcessCpuTime();
        long jit1 = Proc.jitTicks(ProcessHandle.current().pid());
        stop.set(true);
        done.await(30, TimeUnit.SECONDS);
        Measured m = new Measured(calls.sum(), errors.sum(), (t1 - t0) / 1e9, cpu.sum(), cpu1 - cpu0,
                (jit1 - jit0) * 10_000_000L, firstError.get(), warmupSeconds);
        System.out.println(RESULT + Clients.JSON.writeValueAsString(m));
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // the JVM ends next
            }
        }
        System.exit(0);
    }

    /** The SDK's GetItem, its client configured as the app configures its own (application.properties). */
    static Call getItem(Kind kind, String url, AppSettings app, List<AutoCloseable> closeables) {
        GetItemRequest[] requests = new GetItemRequest[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            requests[i] = GetItemRequest.builder().tableName(app.table()).consistentRead(true)
                    .key(Map.of(MetadataItemMapper.KEY, AttributeValue.fromS("floor-" + i))).build();
        }
        if (kind == Kind.NETTY) {
            var http = NettyNioAsyncHttpClient.builder().connectionTimeout(app.connectTimeout())
                    .readTimeout(app.socketTimeout()).maxConcurrency(app.maxConnections()).build();
            DynamoDbAsyncClient ddb = DynamoDbAsyncClient.builder().httpClient(http).region(Region.US_EAST_1)
                    .credentialsProvider(credentials()).endpointOverride(URI.create(url))
                    .overrideConfiguration(o -> o.apiCallAttemptTimeout(app.attemptTimeout())
                            .apiCallTimeout(app.callTimeout())).build();
            closeables.addAll(List.of(ddb, http));
            return n -> check(ddb.getItem(requests[(int) (n % ITEMS)]).join().hasItem());
        }
        SdkHttpClient http = switch (kind) {
            case APACHE -> ApacheHttpClient.builder().connectionTimeout(app.connectTimeout())
                    .socketTimeout(app.socketTimeout()).maxConnections(app.maxConnections()).build();
            case URLCONNECTION -> UrlConnectionHttpClient.builder().connectionTimeout(app.connectTimeout())
                    .socketTimeout(app.socketTimeout()).build();
            case CRT -> AwsCrtHttpClient.builder().connectionTimeout(app.connectTimeout())
                    .maxConcurrency(app.maxConnections()).build();
            default -> throw new IllegalArgumentException(kind.name());
        };
        DynamoDbClient ddb = DynamoDbClient.builder().httpClient(http).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).endpointOverride(URI.create(url))
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(app.attemptTimeout())
                        .apiCallTimeout(app.callTimeout())).build();
        closeables.addAll(List.of(ddb, http));
        return n -> check(ddb.getItem(requests[(int) (n % ITEMS)]).hasItem());
    }

    private static void check(boolean hasItem) {
        if (!hasItem) {
            throw new IllegalStateException("no item");
        }
    }

    /** The Deals GET as routes.DealsLookupRoute makes it. */
    static Call deals(String url, AppSettings app, List<AutoCloseable> closeables) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        HttpComponent http = camel.getComponent("http", HttpComponent.class);
        http.setConnectTimeout(app.dealsConnectMs());
        http.setConnectionRequestTimeout(app.dealsConnectMs());
        http.setResponseTimeout(app.dealsResponseMs());
        http.setSoTimeout(app.dealsResponseMs());
        http.setConnectionsPerRoute(app.dealsConnections());
        camel.start();
        ProducerTemplate template = camel.createProducerTemplate();
        closeables.addAll(List.of(template, camel));
        Endpoint endpoint = camel.getEndpoint(url + "/deals");
        String query = "q=" + URLEncoder.encode("Floor lamp", StandardCharsets.UTF_8) + "&limit=" + app.dealsLimit();
        return n -> {
            Exchange ex = template.request(endpoint, e -> {
                Message m = e.getMessage();
                m.removeHeaders("*");
                m.setBody(null);
                m.setHeader(Exchange.HTTP_METHOD, "GET");
                m.setHeader(Exchange.HTTP_QUERY, query);
                m.setHeader("Accept", "application/json");
                m.setHeader(app.apiKeyHeader(), "floor-key");
            });
            if (ex.getException() != null) {
                throw ex.getException();
            }
            String body = ex.getMessage().getBody(String.class);
            if (body == null || !body.startsWith("{\"deals\"")) {
                throw new IllegalStateException("unexpected Deals answer: " + body);
            }
        };
    }
}
