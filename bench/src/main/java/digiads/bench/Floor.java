package digiads.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import digiads.metadata.ImageMetadata;
import digiads.metadata.Label;
import digiads.metadata.MetadataItemMapper;
import digiads.metadata.MetadataStatus;
import digiads.metadata.TombstoneLife;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;

/**
 * {@code bench/run.sh floor}: what one DynamoDB GetItem (getMetadata's read: the app's table and key, strongly
 * consistent) and one Deals GET cost the client that makes them, on one core, against a server that costs
 * that core nothing, with each HTTP client of the AWS SDK v2 and the app's Deals client stack. Writes
 * {@code docs/bench-floor.md}.
 *
 * <p>Three roles, each its own JVM: this orchestrator ({@link #run}, pinned with the server); the static server
 * ({@code server}: JDK HttpServer, keep-alive, DynamoDB's headers with a correct {@code x-amz-crc32}, a fixed
 * GetItem body captured from moto, and a fixed Deals body), pinned to the server core; one client JVM per
 * measured cell ({@code client}), pinned to the client core with the app's JVM flags, which warms up and then
 * measures the calling threads' CPU per call (ThreadMXBean), the whole process's CPU per call (every thread:
 * the HTTP client's I/O threads, GC, JIT) and the throughput. moto (pinned to the server core) gives the
 * comparison row: the same call against moto, which closes the connection after every answer.
 */
public final class Floor {

    static final String RESULT = "FLOOR-RESULT ";
    static final String TABLE_KEY = MetadataItemMapper.KEY;
    static final int ITEMS = 64;
    static final String DEALS_LABEL = "Floor lamp";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A client stack the floor measures. */
    enum Kind {
        APACHE("SDK GetItem, Apache (the app's)"),
        URLCONNECTION("SDK GetItem, url-connection"),
        CRT("SDK GetItem, CRT"),
        NETTY("SDK GetItem, Netty async (joined)"),
        DEALS("Deals GET, Camel http (the app's)");

        final String title;

        Kind(String title) {
            this.title = title;
        }
    }

    /** What a cell's server is. */
    enum Target {
        STATIC("static, keep-alive"),
        STATIC_CLOSE("static, Connection: close"),
        MOTO("moto (Connection: close)");

        final String title;

        Target(String title) {
            this.title = title;
        }
    }

    /** One measured cell. */
    record Cell(Kind kind, Target target, int threads) {
    }

    /** What a client JVM measured in its window. */
    record Measured(long calls, long errors, double seconds, long threadCpuNanos, long processCpuNanos, long jitMs,
                    long gcMs, String firstError, double warmupSeconds, long warmupCalls, long jitCpuNanos) {
        double threadCpuMs() {
            return calls == 0 ? Double.NaN : threadCpuNanos / 1e6 / calls;
        }

        double processCpuMs() {
            return calls == 0 ? Double.NaN : processCpuNanos / 1e6 / calls;
        }

        /** The JIT compiler threads' CPU in the window, per call. */
        double jitCpuMs() {
            return calls == 0 ? Double.NaN : jitCpuNanos / 1e6 / calls;
        }

        /** The process's CPU per call less the JIT's: the cost of a call once the code is compiled. */
        double steadyCpuMs() {
            return calls == 0 ? Double.NaN : (processCpuNanos - jitCpuNanos) / 1e6 / calls;
        }

        double rps() {
            return calls / seconds;
        }

        /** The share of the client core the process used. */
        double busy() {
            return processCpuNanos / 1e9 / seconds;
        }
    }

    record Run(Cell cell, int rep, Measured m, String load) {
    }

    private Floor() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "server" -> server(Path.of(args[1]), Path.of(args[2]));
            case "client" -> client(Kind.valueOf(args[1]), Integer.parseInt(args[2]), args[3],
                    new Warmup(Duration.ofSeconds(Long.parseLong(args[4])), Long.parseLong(args[5]),
                            Duration.ofSeconds(Long.parseLong(args[6]))),
                    Duration.ofSeconds(Long.parseLong(args[7])), Path.of(args[8]));
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
    }

    // ---- settings ------------------------------------------------------------------------------

    /**
     * A cell's warm-up: at least {@code time} and {@code calls} calls (so that the JIT has compiled the path
     * even on a loaded machine), at most {@code cap}.
     */
    record Warmup(Duration time, long calls, Duration cap) {
    }

    /** The settings of a floor run, from BENCH_FLOOR_* variables. */
    record Settings(Path repo, Warmup warmup, Warmup motoWarmup, Duration window, int reps, List<Integer> threads,
                    String clientCore, String serverCore, double quietLoad, Duration quietWait) {
        static Settings fromEnv(Path repo) {
            String cores = env("BENCH_FLOOR_CORES", "client:0,server:1");
            Map<String, String> c = new HashMap<>();
            for (String part : cores.split(",")) {
                String[] kv = part.trim().split(":");
                c.put(kv[0], kv[1]);
            }
            List<Integer> threads = new ArrayList<>();
            for (String t : env("BENCH_FLOOR_THREADS", "1,32").split(",")) {
                threads.add(Integer.parseInt(t.trim()));
            }
            Duration warm = Duration.ofSeconds(Long.parseLong(env("BENCH_FLOOR_WARMUP", "15")));
            Duration cap = Duration.ofSeconds(Long.parseLong(env("BENCH_FLOOR_WARMUP_CAP", "60")));
            // moto answers a few hundred calls a second at best: fewer calls, a shorter cap
            return new Settings(repo, new Warmup(warm, Long.parseLong(env("BENCH_FLOOR_WARMUP_CALLS", "20000")), cap),
                    new Warmup(warm, Long.parseLong(env("BENCH_FLOOR_MOTO_WARMUP_CALLS", "3000")),
                            Duration.ofSeconds(Long.parseLong(env("BENCH_FLOOR_MOTO_WARMUP_CAP", "30")))),
                    Duration.ofSeconds(Long.parseLong(env("BENCH_FLOOR_WINDOW", "10"))),
                    Integer.parseInt(env("BENCH_FLOOR_REPS", "3")), threads, c.getOrDefault("client", "0"),
                    c.getOrDefault("server", "1"), Double.parseDouble(env("BENCH_FLOOR_QUIET_LOAD", "1.5")),
                    Duration.ofSeconds(Long.parseLong(env("BENCH_FLOOR_QUIET_WAIT", "300"))));
        }
    }

    static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    /** The app's settings this floor copies (application.properties, the one definition). */
    record AppSettings(String table, Duration connectTimeout, Duration socketTimeout, int maxConnections,
                       Duration attemptTimeout, Duration callTimeout, long dealsConnectMs, long dealsResponseMs,
                       int dealsConnections, int dealsLimit, String apiKeyHeader) {
        static AppSettings of(Path repo) throws IOException {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(repo.resolve("src/main/resources/application.properties"))) {
                p.load(in);
            }
            return new AppSettings(p.getProperty("digiads.dynamodb.table"),
                    duration(p, "digiads.aws.connect-timeout"), duration(p, "digiads.aws.socket-timeout"),
                    Integer.parseInt(p.getProperty("digiads.aws.max-connections")),
                    duration(p, "digiads.aws.timeouts.dynamodb-api-call-attempt"),
                    duration(p, "digiads.aws.timeouts.dynamodb-api-call"),
                    Long.parseLong(p.getProperty("digiads.deals.connect-timeout-millis")),
                    Long.parseLong(p.getProperty("digiads.deals.response-timeout-millis")),
                    Integer.parseInt(p.getProperty("digiads.deals.bulkhead-max-concurrent-calls")),
                    Integer.parseInt(p.getProperty("digiads.deals.limit")),
                    p.getProperty("digiads.deals.api-key-header"));
        }

        private static Duration duration(Properties p, String key) {
            String v = p.getProperty(key).trim();
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.ofMillis(Long.parseLong(v));
        }
    }

    // ---- the orchestrator ----------------------------------------------------------------------

    /** Runs the floor mode; the exit code. */
    static int run(Path repo) {
        List<Process> started = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> started.forEach(Process::destroyForcibly)));
        try {
            new Orchestrator(Settings.fromEnv(repo), started).run();
            return 0;
        } catch (Throwable t) {
            t.printStackTrace();
            return 1;
        } finally {
            for (Process p : started) {
                p.destroy();
            }
            for (Process p : started) {
                try {
                    if (!p.waitFor(5, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    static final class Orchestrator {
        final Settings s;
        final List<Process> started;
        final Path work;
        final Instant began = Instant.now();
        final List<Run> runs = new ArrayList<>();
        final List<String> loads = new ArrayList<>();
        String quietWaited = "";
        String motoVersion = "?";
        int getItemBytes;
        int dealsBytes;

        Orchestrator(Settings s, List<Process> started) {
            this.s = s;
            this.started = started;
            this.work = s.repo.resolve("bench/target/floor");
        }

        void run() throws Exception {
            Files.createDirectories(work);
            taskset(ProcessHandle.current().pid(), s.serverCore);
            AppSettings app = AppSettings.of(s.repo);
            waitForQuiet();
            loads.add("start " + loadAverage());

            System.out.println("[floor] moto on core " + s.serverCore + ", its table and " + ITEMS + " items");
            int motoPort = freePort();
            Path moto = s.repo.resolve(".venv-moto/bin/moto_server");
            motoVersion = readOr(s.repo.resolve(".venv-moto/.moto-version"), "?").trim();
            start(List.of("taskset", "-c", s.serverCore, moto.toString(), "-H", "127.0.0.1", "-p",
                    Integer.toString(motoPort)), work.resolve("moto.log"));
            String motoUrl = "http://127.0.0.1:" + motoPort;
            awaitHttp(motoUrl + "/moto-api/");
            Path getItemBody = work.resolve("getitem.json");
            Files.writeString(getItemBody, seed(motoUrl, app));
            getItemBytes = (int) Files.size(getItemBody);
            Path dealsBody = work.resolve("deals.json");
            Files.writeString(dealsBody, dealsBody(app.dealsLimit()));
            dealsBytes = (int) Files.size(dealsBody);

            System.out.println("[floor] the static server on core " + s.serverCore);
            Path serverLog = work.resolve("server.log");
            Process server = start(List.of(java(), "-Xmx256m", "-XX:+UseSerialGC", "-cp", classPath(),
                    Floor.class.getName(), "server", getItemBody.toString(), dealsBody.toString()), serverLog);
            taskset(server.pid(), s.serverCore);
            int[] ports = serverPorts(serverLog, server);
            Map<Target, String> urls = Map.of(Target.STATIC, "http://127.0.0.1:" + ports[0],
                    Target.STATIC_CLOSE, "http://127.0.0.1:" + ports[1], Target.MOTO, motoUrl);

            List<Cell> cells = new ArrayList<>();
            for (int t : s.threads) {
                for (Kind k : Kind.values()) {
                    cells.add(new Cell(k, Target.STATIC, t));
                }
                cells.add(new Cell(Kind.APACHE, Target.STATIC_CLOSE, t));
                cells.add(new Cell(Kind.APACHE, Target.MOTO, t));
            }
            for (int rep = 1; rep <= s.reps; rep++) {
                for (Cell c : cells) {
                    String load = loadAverage();
                    System.out.printf("[floor] %d/%d %s, %s, %d thread(s)  (load average %s)%n", rep, s.reps,
                            c.kind.title, c.target.title, c.threads, load);
                    Measured m = client(c, urls.get(c.target), rep);
                    runs.add(new Run(c, rep, m, load));
                    System.out.printf(Locale.ROOT, "        thread CPU %.3f ms, process CPU %.3f ms (JIT %.3f) per call, "
                                    + "%.0f/s, core %.0f %%, errors %d%n", m.threadCpuMs(), m.processCpuMs(),
                            m.jitCpuMs(), m.rps(), m.busy() * 100, m.errors);
                }
                loads.add("after repetition " + rep + " " + loadAverage());
                // after each repetition, so that a run stopped early leaves the report of those it finished
                Path out = s.repo.resolve(env("BENCH_DOCS", "docs")).resolve("bench-floor.md");
                Files.createDirectories(out.getParent());
                Files.writeString(out, new FloorReport(this).markdown());
                System.out.println("[floor] wrote " + out + " (" + rep + " of " + s.reps + " repetitions)");
            }
        }

        Measured client(Cell c, String url, int rep) throws Exception {
            Path log = work.resolve("client-" + c.kind.name().toLowerCase(Locale.ROOT) + "-"
                    + c.target.name().toLowerCase(Locale.ROOT) + "-" + c.threads + "-" + rep + ".log");
            Warmup w = c.target == Target.MOTO ? s.motoWarmup : s.warmup;
            List<String> cmd = new ArrayList<>(List.of("taskset", "-c", s.clientCore, java()));
            cmd.addAll(appJvmFlags());
            // the url-connection client keeps this many idle connections per host (the JDK's default is 5)
            cmd.addAll(List.of("-Dhttp.maxConnections=64", "-cp", classPath(), Floor.class.getName(), "client",
                    c.kind.name(), Integer.toString(c.threads), url, Long.toString(w.time().toSeconds()),
                    Long.toString(w.calls()), Long.toString(w.cap().toSeconds()), Long.toString(s.window.toSeconds()),
                    s.repo.toString()));
            Process p = start(cmd, log);
            if (!p.waitFor(w.cap().plus(s.window).toSeconds() + 120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("the client did not end: " + log);
            }
            started.remove(p);
            for (String line : Files.readAllLines(log)) {
                if (line.startsWith(RESULT)) {
                    return JSON.readValue(line.substring(RESULT.length()), Measured.class);
                }
            }
            throw new IllegalStateException("no result from the client (exit " + p.exitValue() + "): " + log + "\n"
                    + String.join("\n", tail(log, 30)));
        }

        /** The app's container flags (docker/jvm.options) with the heap sized as in docker/compose.yaml. */
        List<String> appJvmFlags() throws IOException {
            return List.of("@" + s.repo.resolve("docker/jvm.options"), "-XX:MaxRAM=" + composeMemLimit());
        }

        String composeMemLimit() throws IOException {
            boolean inApp = false;
            for (String line : Files.readAllLines(s.repo.resolve("docker/compose.yaml"))) {
                if (line.matches("^  [A-Za-z0-9_-]+:\\s*$")) {
                    inApp = line.trim().equals("app:");
                } else if (inApp && line.trim().startsWith("mem_limit:")) {
                    return line.trim().substring("mem_limit:".length()).trim().replace("\"", "");
                }
            }
            throw new IllegalStateException("no mem_limit for the app service in docker/compose.yaml");
        }

        /** Creates the app's table in moto, puts items as the app writes them; GetItem's raw answer body. */
        String seed(String motoUrl, AppSettings app) throws Exception {
            try (SdkHttpClient http = ApacheHttpClient.builder().build();
                 DynamoDbClient ddb = DynamoDbClient.builder().httpClient(http).region(Region.US_EAST_1)
                         .credentialsProvider(credentials()).endpointOverride(URI.create(motoUrl)).build()) {
                ddb.createTable(b -> b.tableName(app.table())
                        .keySchema(KeySchemaElement.builder().attributeName(TABLE_KEY).keyType(KeyType.HASH).build())
                        .attributeDefinitions(AttributeDefinition.builder().attributeName(TABLE_KEY)
                                .attributeType("S").build())
                        .billingMode("PAY_PER_REQUEST"));
                MetadataItemMapper mapper = new MetadataItemMapper(TombstoneLife.fixed(Duration.ofDays(1)));
                for (int i = 0; i < ITEMS; i++) {
                    String id = imageId(i);
                    ddb.putItem(b -> b.tableName(app.table()).item(mapper.toItem(metadata(id))));
                }
            }
            // the answer as moto sends it: the static server's body
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(motoUrl + "/"))
                    .header("Content-Type", "application/x-amz-json-1.0")
                    .header("X-Amz-Target", "DynamoDB_20120810.GetItem")
                    .header("Authorization", "AWS4-HMAC-SHA256 Credential=floor/20260101/us-east-1/dynamodb/aws4_request, "
                            + "SignedHeaders=host, Signature=0")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"TableName\": \"" + app.table() + "\", \"Key\": {\""
                            + TABLE_KEY + "\": {\"S\": \"" + imageId(0) + "\"}}, \"ConsistentRead\": true}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || !JSON.readTree(r.body()).has("Item")) {
                throw new IllegalStateException("moto's GetItem answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        }

        void waitForQuiet() {
            long deadline = System.nanoTime() + s.quietWait.toNanos();
            long t0 = System.nanoTime();
            while (load1() > s.quietLoad && System.nanoTime() < deadline) {
                sleep(5000);
            }
            long waited = (System.nanoTime() - t0) / 1_000_000_000L;
            if (waited > 0) {
                quietWaited = String.format(Locale.ROOT, "waited %d s for the 1-minute load average to fall below %.1f"
                        + " (%s)", waited, s.quietLoad, load1() <= s.quietLoad ? "it did" : "it did not; measured anyway");
            }
        }

        Process start(List<String> command, Path log) throws IOException {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            started.add(p);
            return p;
        }
    }

    static String imageId(int i) {
        return "floor-" + i;
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
        StringBuilder sb = new StringBuilder("{\"deals\": [");
        for (int i = 0; i < limit; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "{\"id\": \"floor-lamp-%d\", \"title\": "
                    + "\"Floor lamp offer %d\", \"price\": %d.99, \"currency\": \"USD\", \"merchant\": \"ShopRight\", "
                    + "\"url\": \"https://deals.example/floor-lamp/%d\"}", i, i, 20 + 7 * i, i));
        }
        return sb.append("]}").toString();
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("floor", "floor"));
    }

    // ---- the static server -------------------------------------------------------------------

    /**
     * Answers every POST on the first port with the GetItem body as DynamoDB does (keep-alive, its content type,
     * a request id and the body's CRC32, which the SDK checks), and {@code GET /deals} with the Deals body; the
     * second port answers the same with {@code Connection: close}. Prints the ports.
     */
    static void server(Path getItemBody, Path dealsBody) throws IOException {
        byte[] item = Files.readAllBytes(getItemBody);
        byte[] deals = Files.readAllBytes(dealsBody);
        CRC32 crc = new CRC32();
        crc.update(item);
        String crc32 = Long.toString(crc.getValue());
        int[] ports = new int[2];
        for (int i = 0; i < 2; i++) {
            boolean close = i == 1;
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
            server.createContext("/", ex -> answer(ex, item, "application/x-amz-json-1.0", crc32, close));
            server.createContext("/deals", ex -> answer(ex, deals, "application/json", null, close));
            server.setExecutor(Executors.newFixedThreadPool(8));
            server.start();
            ports[i] = server.getAddress().getPort();
        }
        System.out.println("ports " + ports[0] + " " + ports[1]);
        System.out.flush();
    }

    private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private static void answer(HttpExchange ex, byte[] body, String type, String crc32, boolean close)
            throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        var h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        if (crc32 != null) {
            char[] id = new char[52];
            ThreadLocalRandom r = ThreadLocalRandom.current();
            for (int i = 0; i < id.length; i++) {
                id[i] = ID_CHARS[r.nextInt(ID_CHARS.length)];
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

    /** One call of the stack under test, by the calling thread (its index given). */
    interface Call {
        void call(int thread, long n) throws Exception;
    }

    /** Warms up, measures one window, prints the result as a RESULT line. */
    static void client(Kind kind, int threads, String url, Warmup warmup, Duration window, Path repo)
            throws Exception {
        AppSettings app = AppSettings.of(repo);
        List<AutoCloseable> closeables = new ArrayList<>();
        Call call = stack(kind, url, app, closeables);
        ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder calls = new LongAdder();
        LongAdder warmCalls = new LongAdder();
        LongAdder errors = new LongAdder();
        LongAdder cpu = new LongAdder();
        String[] firstError = new String[1];
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread.ofPlatform().name("floor-" + t).start(() -> {
                long n = thread;
                while (!stop.get()) {
                    long before = tmx.getCurrentThreadCpuTime();
                    boolean ok = true;
                    try {
                        call.call(thread, n++);
                    } catch (Exception e) {
                        ok = false;
                        synchronized (firstError) {
                            if (firstError[0] == null) {
                                firstError[0] = e.toString();
                            }
                        }
                    }
                    long spent = tmx.getCurrentThreadCpuTime() - before;
                    if (!measuring.get()) {
                        warmCalls.increment();
                    } else {
                        if (ok) {
                            calls.increment();
                            cpu.add(spent);
                        } else {
                            errors.increment();
                        }
                    }
                }
                done.countDown();
            });
        }
        long w0 = System.nanoTime();
        Thread.sleep(warmup.time().toMillis());
        while (warmCalls.sum() < warmup.calls() && System.nanoTime() - w0 < warmup.cap().toNanos()) {
            Thread.sleep(100);
        }
        double warmupSeconds = (System.nanoTime() - w0) / 1e9;
        long warmupCalls = warmCalls.sum();
        long cpu0 = os.getProcessCpuTime();
        long jitCpu0 = jitThreadsCpuNanos();
        long jit0 = jit.getTotalCompilationTime();
        long gc0 = gcMillis();
        long t0 = System.nanoTime();
        measuring.set(true);
        Thread.sleep(window.toMillis());
        measuring.set(false);
        long t1 = System.nanoTime();
        long cpu1 = os.getProcessCpuTime();
        long jitCpu1 = jitThreadsCpuNanos();
        long jit1 = jit.getTotalCompilationTime();
        long gc1 = gcMillis();
        stop.set(true);
        done.await(30, TimeUnit.SECONDS);
        Measured m = new Measured(calls.sum(), errors.sum(), (t1 - t0) / 1e9, cpu.sum(), cpu1 - cpu0, jit1 - jit0,
                gc1 - gc0, firstError[0], warmupSeconds, warmupCalls, jitCpu1 - jitCpu0);
        System.out.println(RESULT + JSON.writeValueAsString(m));
        System.out.flush();
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // the JVM ends next
            }
        }
        System.exit(0);
    }

    /**
     * The CPU time of this JVM's JIT compiler threads (C1 and C2, by their names in /proc/self/task/*&#47;stat),
     * in clock ticks of 10 ms, as nanoseconds.
     */
    static long jitThreadsCpuNanos() {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String comm = stat.substring(open + 1, close);
                if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                    String[] f = stat.substring(close + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks * 10_000_000L;
    }

    static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    /** The stack under test, configured as the app configures its own (application.properties). */
    static Call stack(Kind kind, String url, AppSettings app, List<AutoCloseable> closeables) throws Exception {
        if (kind == Kind.DEALS) {
            return deals(url, app, closeables);
        }
        GetItemRequest[] requests = new GetItemRequest[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            requests[i] = GetItemRequest.builder().tableName(app.table()).consistentRead(true)
                    .key(Map.of(TABLE_KEY, AttributeValue.fromS(imageId(i)))).build();
        }
        if (kind == Kind.NETTY) {
            SdkAsyncHttpClient http = NettyNioAsyncHttpClient.builder().connectionTimeout(app.connectTimeout())
                    .readTimeout(app.socketTimeout()).maxConcurrency(app.maxConnections()).build();
            DynamoDbAsyncClient ddb = DynamoDbAsyncClient.builder().httpClient(http).region(Region.US_EAST_1)
                    .credentialsProvider(credentials()).endpointOverride(URI.create(url))
                    .overrideConfiguration(o -> o.apiCallAttemptTimeout(app.attemptTimeout())
                            .apiCallTimeout(app.callTimeout())).build();
            closeables.add(ddb);
            closeables.add(http);
            return (thread, n) -> check(ddb.getItem(requests[(int) (n % ITEMS)]).join().hasItem());
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
        closeables.add(ddb);
        closeables.add(http);
        return (thread, n) -> check(ddb.getItem(requests[(int) (n % ITEMS)]).hasItem());
    }

    private static void check(boolean hasItem) {
        if (!hasItem) {
            throw new IllegalStateException("no item");
        }
    }

    /**
     * The Deals GET as routes.DealsLookupRoute makes it: Camel's http component with the app's
     * camel.component.http.* settings, the exchange shaped as digiads.deals.DealsRequest shapes it, the
     * answer read as a String (the route's convertBodyTo). No breaker, bulkhead or parsing: the client alone.
     */
    static Call deals(String url, AppSettings app, List<AutoCloseable> closeables) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        HttpComponent http = camel.getComponent("http", HttpComponent.class);
        http.setConnectTimeout(app.dealsConnectMs());
        http.setConnectionRequestTimeout(app.dealsConnectMs());
        http.setResponseTimeout(app.dealsResponseMs());
        http.setSoTimeout(app.dealsResponseMs());
        http.setConnectionsPerRoute(app.dealsConnections());
        camel.start();
        closeables.add(camel);
        ProducerTemplate template = camel.createProducerTemplate();
        closeables.add(template);
        Endpoint endpoint = camel.getEndpoint(url + "/deals");
        String query = "q=" + URLEncoder.encode(DEALS_LABEL, StandardCharsets.UTF_8) + "&limit=" + app.dealsLimit();
        return (thread, n) -> {
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

    // ---- small tools ---------------------------------------------------------------------------

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String classPath() {
        return System.getProperty("java.class.path");
    }

    static void taskset(long pid, String cores) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cores, Long.toString(pid))
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("taskset could not pin " + pid + " to " + cores);
        }
    }

    static int[] serverPorts(Path log, Process server) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(log)) {
                if (line.startsWith("ports ")) {
                    String[] f = line.split(" ");
                    return new int[] {Integer.parseInt(f[1]), Integer.parseInt(f[2])};
                }
            }
            if (!server.isAlive()) {
                break;
            }
            sleep(100);
        }
        throw new IllegalStateException("the static server did not start: " + String.join("\n", tail(log, 30)));
    }

    static void awaitHttp(String url) {
        HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (Exception e) {
                sleep(200);
            }
        }
        throw new IllegalStateException("nothing answered at " + url);
    }

    static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String loadAverage() {
        String[] f = readOr(Path.of("/proc/loadavg"), "? ? ?").trim().split("\\s+");
        return f[0] + " " + f[1] + " " + f[2];
    }

    static double load1() {
        try {
            return Double.parseDouble(loadAverage().split(" ")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String readOr(Path p, String dflt) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return dflt;
        }
    }

    static List<String> tail(Path p, int n) {
        try {
            List<String> all = Files.readAllLines(p);
            return all.subList(Math.max(0, all.size() - n), all.size());
        } catch (IOException e) {
            return List.of();
        }
    }

    static String cpuModel() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(Path.of("/proc/cpuinfo")),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // below
        }
        return "?";
    }

    static String git(Path repo) {
        try {
            Process p = new ProcessBuilder("git", "-C", repo.toString(), "log", "-1", "--format=%h %cd",
                    "--date=format:%Y-%m-%d").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : "?";
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    static String utc(Instant t) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(t);
    }

}
