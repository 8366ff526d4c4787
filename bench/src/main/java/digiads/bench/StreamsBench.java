package digiads.bench;

import java.net.URI;
import java.net.http.*;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.regex.*;

import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code bench/run.sh streams}: open live-update streams on one instance while images are put at a steady rate; for
 * every (image, client) pair the delay from the metadata write ({@code listedAt}) to its LABELED event, and the app's
 * memory and threads with 0, half and all the streams open. docs/bench-streams.md.
 */
final class StreamsBench extends Modes {

    final int streams = Config.num("BENCH_STREAMS", cfg.quick ? 100 : 1000);
    final int images = Config.num("BENCH_STREAMS_IMAGES", cfg.quick ? 10 : 40);
    final Duration interval = Duration.ofMillis(Config.num("BENCH_STREAMS_INTERVAL_MS", 1000));
    final Duration timeout = Config.secs("BENCH_STREAMS_TIMEOUT_S", 120);

    /** Arrival (epoch microseconds) of each image's LABELED event at each client; 0 = not arrived. */
    long[][] arrived;
    final AtomicInteger ready = new AtomicInteger();
    final AtomicLong events = new AtomicLong();
    final AtomicLong inWork = new AtomicLong();
    final AtomicInteger ended = new AtomicInteger();
    final Load.Hist delays = new Load.Hist();
    final Load.Hist published = new Load.Hist();
    final Load.Hist delivered = new Load.Hist();
    /** Per image: published to its first client, and its first client to its last (the fan-out). */
    final Load.Hist firstClient = new Load.Hist();
    final Load.Hist spread = new Load.Hist();
    /** Streams the app ended before the clients closed them (there should be none). */
    int endedEarly;
    private final List<Flow.Subscription> subscriptions = java.util.Collections.synchronizedList(new ArrayList<>());
    long pairs;
    long expected;
    Memory idle;
    /** With half the streams open: the second half's cost is free of what the first streams loaded once. */
    Memory half;
    Memory open;
    String measureStart;
    String measureEnd;
    Instant putFrom;
    Instant putTo;
    private App app;

    /** The app's footprint at one moment. */
    record Memory(long rssKb, long heapUsedKb, long heapCommittedKb, long threads, String heapInfo) {
        double rssMb() {
            return rssKb / 1024.0;
        }

        double heapUsedMb() {
            return heapUsedKb / 1024.0;
        }

        double heapCommittedMb() {
            return heapCommittedKb / 1024.0;
        }
    }

    // what the report reads besides the fields (bench-streams.mustache): per stream, of all and of the second half
    boolean all() {
        return pairs == expected;
    }

    boolean custom() {
        return streams != 1000 || images != 40;
    }

    int halfStreams() {
        return streams / 2;
    }

    double intervalSeconds() {
        return interval.toMillis() / 1000.0;
    }

    double rssAll() {
        return (open.rssKb() - idle.rssKb()) / (double) streams;
    }

    double rssHalf() {
        return (open.rssKb() - half.rssKb()) / (double) (streams - streams / 2);
    }

    double heapAll() {
        return (open.heapUsedKb() - idle.heapUsedKb()) / (double) streams;
    }

    double heapHalf() {
        return (open.heapUsedKb() - half.heapUsedKb()) / (double) (streams - streams / 2);
    }

    long threadsAll() {
        return open.threads() - idle.threads();
    }

    long threadsHalf() {
        return open.threads() - half.threads();
    }

    @Override
    void run() throws Exception {
        Emulators emulators = startEmulators(16);
        Issuer issuer = emulators.issuer();
        try (Aws aws = emulators.aws()) {
            phase("start the app");
            app = App.start(cfg, emulators.moto().port(), emulators.rekognition().url(), "http://127.0.0.1:9", issuer,
                    "streams", List.of(), List.of(), procs);
            awaitUntil("the app subscribed its updates queue", Duration.ofSeconds(60), () -> !aws.sqs
                    .listQueues(b -> b.queueNamePrefix("digiads-updates-")).queueUrls().isEmpty());
            Proc.sleep(2000);
            idle = memory();
            System.out.println("  no stream open: " + idle);

            phase("open " + streams + " streams");
            arrived = new long[streams][images];
            java.util.concurrent.ExecutorService clientThreads = Executors.newFixedThreadPool(4);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(clientThreads).connectTimeout(Duration.ofSeconds(10)).build();
            List<CompletableFuture<HttpResponse<Void>>> responses = new ArrayList<>();
            String token = issuer.token();
            for (int i = 0; i < streams; i++) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(app.url() + "/api/events"))
                        .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET().build();
                responses.add(http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(new Client(i))));
                if (i % 50 == 49 || i == streams / 2 - 1) {
                    int opened = i + 1;
                    awaitUntil(opened + " streams ready", Duration.ofSeconds(60), () -> ready.get() >= opened);
                }
                if (i == streams / 2 - 1) {
                    Proc.sleep(2000);
                    half = memory();
                    System.out.println("  " + streams / 2 + " streams open: " + half);
                }
            }
            awaitUntil("every stream ready", Duration.ofSeconds(60), () -> ready.get() >= streams);
            Proc.sleep(2000);
            open = memory();
            System.out.println("  " + streams + " streams open: " + open);

            phase("put " + images + " images, one every " + interval.toMillis() + " ms");
            measureStart = loadAverage();
            List<String> ids = new ArrayList<>();
            putFrom = Instant.now();
            for (int i = 0; i < images; i++) {
                String id = String.format("streams/%04d.jpg", i);
                ids.add(id);
                Instant due = putFrom.plus(interval.multipliedBy(i));
                long wait = Duration.between(Instant.now(), due).toMillis();
                if (wait > 0) {
                    Proc.sleep(wait);
                }
                byte[] body = Pipeline.jpeg(i);
                aws.s3.putObject(b -> b.bucket(aws.app.bucket()).key(aws.app.prefix() + id).contentType("image/jpeg"),
                        RequestBody.fromBytes(body));
            }
            putTo = Instant.now();
            phase("wait for every LABELED event at every client");
            expected = (long) streams * images;
            try {
                awaitUntil("every event at every client", timeout, () -> count() >= expected);
            } catch (IllegalStateException e) {
                System.out.println("  " + e.getMessage() + ": " + count() + " of " + expected);
            }
            measureEnd = loadAverage();
            endedEarly = ended.get();
            Memory after = memory();
            System.out.println("  after the images: " + after);

            phase("delays");
            for (int i = 0; i < images; i++) {
                String id = ids.get(i);
                Map<String, AttributeValue> item = aws.dynamo.getItem(b -> b.tableName(aws.app.table()).consistentRead(true)
                        .key(Map.of("imageId", AttributeValue.fromS(id)))).item();
                if (item == null || !item.containsKey("listedAt")) {
                    continue;
                }
                long writtenMicros = Long.parseLong(item.get("listedAt").n()) * 1000;
                Long at = publishedAt.get(id);
                if (at != null) {
                    published.hist().recordValue(Math.max(1, at - writtenMicros));
                }
                long first = Long.MAX_VALUE;
                long last = 0;
                for (int c = 0; c < streams; c++) {
                    if (arrived[c][i] != 0) {
                        first = Math.min(first, arrived[c][i]);
                        last = Math.max(last, arrived[c][i]);
                        pairs++;
                        delays.hist().recordValue(Math.max(1, arrived[c][i] - writtenMicros));
                        if (at != null) {
                            delivered.hist().recordValue(Math.max(1, arrived[c][i] - at));
                        }
                    }
                }
                if (last != 0) {
                    if (at != null) {
                        firstClient.hist().recordValue(Math.max(1, first - at));
                    }
                    spread.hist().recordValue(Math.max(1, last - first));
                }
            }
            System.out.printf("  %d of %d pairs: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", pairs, expected,
                    delays.p50(), delays.p99(), delays.max());
            subscriptions.forEach(Flow.Subscription::cancel);
            responses.forEach(r -> r.cancel(true));
            clientThreads.shutdownNow();
            loadEnd = loadAverage();
            write("bench-streams.md", Md.fmt("Benchmark: %,d open live-update streams", streams), "bench/run.sh streams");
        }
    }

    private final Map<String, Long> publishedAt = new java.util.concurrent.ConcurrentHashMap<>();

    private long count() {
        return Arrays.stream(arrived).flatMapToLong(Arrays::stream).filter(t -> t != 0).count();
    }

    private static final Pattern IMAGE = Pattern.compile("streams/(\\d{4})\\.jpg");

    /** One stream's reader: an event is its {@code event:} and {@code data:} lines up to a blank line. */
    private final class Client implements Flow.Subscriber<String> {
        private final int index;
        private String name;
        private final StringBuilder data = new StringBuilder();

        Client(int index) {
            this.index = index;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscriptions.add(subscription);
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.isEmpty()) {
                dispatch();
            } else if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            }
        }

        private void dispatch() {
            long now = nowMicros();
            if ("ready".equals(name)) {
                ready.incrementAndGet();
            } else if ("image".equals(name)) {
                events.incrementAndGet();
                try {
                    JsonNode e = Clients.JSON.readTree(data.toString());
                    Matcher m = IMAGE.matcher(e.path("imageId").asText());
                    if ("IN_WORK".equals(e.path("status").asText())) {
                        inWork.incrementAndGet();
                    } else if ("LABELED".equals(e.path("status").asText()) && m.matches()) {
                        int i = Integer.parseInt(m.group(1));
                        if (i < images && arrived[index][i] == 0) {
                            arrived[index][i] = now;
                        }
                        publishedAt.computeIfAbsent(e.path("imageId").asText(), k -> micros(Instant.parse(e.path("at").asText())));
                    }
                } catch (Exception ex) {
                    System.out.println("  stream " + index + ": unreadable event " + data + ": " + ex);
                }
            }
            name = null;
            data.setLength(0);
        }

        @Override
        public void onError(Throwable throwable) {
            ended.incrementAndGet();
        }

        @Override
        public void onComplete() {
            ended.incrementAndGet();
        }
    }

    static long nowMicros() {
        return micros(Instant.now());
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    /** RSS, the heap after a full GC (jcmd GC.run, then GC.heap_info), threads. */
    private Memory memory() {
        app.jcmd("GC.run");
        String info = app.jcmd("GC.heap_info");
        Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
        long committed = -1;
        long used = -1;
        if (m.find()) {
            committed = Long.parseLong(m.group(1));
            used = Long.parseLong(m.group(2));
        }
        return new Memory(app.rssKb(), used, committed, Proc.threads(app.proc.pid()), info.trim());
    }

    private static void awaitUntil(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + timeout.toSeconds() + " s: " + what);
            }
            Proc.sleep(100);
        }
    }
}
