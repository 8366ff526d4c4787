package digiads.bench;

import java.io.IOException;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.labels.LabelIndex;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code bench/run.sh search}: find-by-label on 1,000 and 100,000 indexed images, the app's DynamoDB on dynalite behind a
 * {@link DynamoRecorder} that records what each search's Queries read and bill. docs/bench-search.md.
 */
final class SearchBench extends Modes {

    static final String COMMON = "Dog";
    static final String RARE = "Axolotl";
    /** Images that carry the rare label: all among the first 1,000. */
    static final int RARE_IMAGES = 10;
    static final int PAGE = 50;
    /** The later page measured: the 11th (images 501 to 550 of the label, newest first). */
    static final int LATER_PAGE = 11;
    static final String[] VOCABULARY = Stream.iterate(0, i -> i + 1).limit(200)
            .map(i -> "Thing " + i).toArray(String[]::new);

    final int[] sizes = {Config.num("BENCH_SEARCH_SMALL", 1000), Config.num("BENCH_SEARCH_LARGE", cfg.quick ? 10000 : 100000)};
    final Duration warmup = Config.secs("BENCH_SEARCH_WARMUP_S", 2);
    final Duration window = Config.secs("BENCH_SEARCH_WINDOW_S", cfg.quick ? 3 : 10);
    final int clients = Config.num("BENCH_SEARCH_CLIENTS", 8);
    final int loadThreads = Config.num("BENCH_SEARCH_LOAD_THREADS", 6);
    final Duration globalWarmup = Config.secs("BENCH_SEARCH_WARMUP_GLOBAL_S", cfg.quick ? 5 : 20);
    private boolean warmedUp;

    private final Instant base = Instant.parse("2026-01-01T00:00:00Z");
    private Aws dynalite;
    private Clients api;
    private App app;
    private DynamoRecorder recorder;
    final List<Row> rows = new ArrayList<>();
    final List<Loading> loads = new ArrayList<>();

    /** One measured search: its case, the clients, the latencies, and what one search read. */
    record Row(int images, String page, int clients, Load.Result result, DynamoRecorder.Totals cost,
               String loadBefore, String loadAfter) {
    }

    /** Indexing a batch of images. */
    record Loading(int images, long items, double seconds, int threads, String loadBefore, String loadAfter) {
        double perSecond() {
            return items / seconds;
        }
    }

    // what the report reads besides the rows (bench-search.mustache)
    final int pageSize = PAGE;
    final int laterPage = LATER_PAGE;
    final String common = COMMON;
    final String rare = RARE;
    final int rareImages = RARE_IMAGES;
    final int vocabulary = VOCABULARY.length;
    final int shards = LabelIndex.SHARDS;
    final int smallSize = sizes[0];
    final int largeSize = sizes[1];
    final int times = sizes[1] / sizes[0];
    final boolean custom = sizes[1] != 100000 || window.toSeconds() != 10;
    Row small;
    Row large;
    boolean complete;
    boolean sameReads;

    @Override
    void run() throws Exception {
        phase("setup: moto, dynalite, the local issuer, resources");
        Service moto = Service.moto(cfg, procs);
        String dynaliteUrl = Service.dynalite(cfg, procs).url();
        Issuer issuer = Issuer.start(cfg, procs);
        ResourceDefinition definition = ResourceDefinition.of(cfg.repo);
        try (Aws onMoto = new Aws(moto.url(), moto.url(), 8, definition)) {
            onMoto.provision(onMoto.app);
        }
        dynalite = new Aws(dynaliteUrl, dynaliteUrl, 64, definition);
        dynalite.provisionTables(dynalite.app, false);
        recorder = DynamoRecorder.start(dynaliteUrl);

        phase("start the app (DynamoDB: dynalite, through the recorder)");
        // Rekognition and the Deals API are not called by a search: no stand-ins for them
        app = App.start(cfg, moto.port(), moto.url(), "http://127.0.0.1:9", issuer, "search", List.of(),
                List.of("--digiads.aws.dynamodb-endpoint-override=" + recorder.url()), procs);
        api = new Clients(app.url(), issuer::token, "http://127.0.0.1:9", 1000);

        int loaded = 0;
        for (int size : sizes) {
            phase("index " + (size - loaded) + " images more (" + size + " in all)");
            loads.add(load(loaded, size));
            loaded = size;
            measure(size);
        }
        loadEnd = loadAverage();
        recorder.close();
        dynalite.close();
        small = rows.stream().filter(r -> r.images() == sizes[0] && r.clients() == 1).findFirst().orElse(null);
        large = rows.stream().filter(r -> r.images() == sizes[1] && r.clients() == 1).findFirst().orElse(null);
        complete = small != null && large != null;
        sameReads = complete && small.cost().queries() == large.cost().queries()
                && small.cost().scanned() == large.cost().scanned() && small.cost().readUnits() == large.cost().readUnits();
        write("bench-search.md", "Benchmark: find-by-label", "bench/run.sh search");
    }

    // ---- the index ---------------------------------------------------------------------------------

    /** The labels of image {@code i}: the common label, four of the vocabulary, the rare one on a few. */
    static List<String> labelsOf(int i) {
        List<String> labels = new ArrayList<>(List.of(COMMON));
        for (int k = 0; k < 4; k++) {
            labels.add(VOCABULARY[(i * 7 + k * 53) % VOCABULARY.length]);
        }
        if (i < RARE_IMAGES * 97 && i % 97 == 0) {
            labels.set(4, RARE);
        }
        return labels;
    }

    static String imageId(int i) {
        return String.format("search/%06d.jpg", i);
    }

    /**
     * Indexes images {@code from} to {@code to} (exclusive), image i labeled i seconds after the base:
     * each image's index items as the app's LabelIndex derives them from its metadata item.
     */
    private Loading load(int from, int to) throws Exception {
        String table = dynalite.app.labelsTable();
        String loadBefore = loadAverage();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(loadThreads);
        List<Future<Integer>> chunks = new ArrayList<>();
        int chunk = 200;
        for (int start = from; start < to; start += chunk) {
            int a = start;
            int b = Math.min(to, start + chunk);
            chunks.add(pool.submit(() -> {
                List<Map<String, AttributeValue>> items = new ArrayList<>();
                for (int i = a; i < b; i++) {
                    Map<String, AttributeValue> metadata = Aws.item(dynalite.app.bucket(), dynalite.app.prefix(),
                            imageId(i), labelsOf(i), base.plusSeconds(i));
                    LabelIndex.entriesOf(metadata).forEach(e -> items.add(e.item()));
                }
                dynalite.putItems(table, items);
                return items.size();
            }));
        }
        long items = 0;
        for (Future<Integer> f : chunks) {
            items += f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Loading l = new Loading(to - from, items, seconds, loadThreads, loadBefore, loadAverage());
        System.out.printf("  %d images, %d index items in %.1f s (%.0f items/s)%n", to - from, items, seconds, items / seconds);
        return l;
    }

    // ---- the searches ------------------------------------------------------------------------------

    private void measure(int images) throws IOException {
        String later = cursorOfPage(COMMON, LATER_PAGE);
        record Case(String name, String label, String cursor, int expected) {
        }
        List<Case> cases = List.of(
                new Case("“" + COMMON + "”, first page", COMMON, null, PAGE),
                new Case("“" + COMMON + "”, page " + LATER_PAGE + " (cursor)", COMMON, later, PAGE),
                new Case("“" + RARE + "” (" + RARE_IMAGES + " images), first page", RARE, null, RARE_IMAGES));
        if (!warmedUp) {
            // the JIT's warm-up on every case, so that the first case measured is not the coldest
            phase("warm-up: " + globalWarmup.toSeconds() + " s of every case, 4 clients");
            Load.run("warm-up", 4, Duration.ZERO, globalWarmup, client -> {
                Case c = cases.get((int) (System.nanoTime() % cases.size()));
                return search(url(c.label(), c.cursor()), c.expected()).call(client);
            }, null);
            warmedUp = true;
        }
        for (Case c : cases) {
            String url = url(c.label(), c.cursor());
            phase("search " + c.name() + " on " + images + " images: what DynamoDB read");
            DynamoRecorder.Totals cost = cost(url, c.expected(), 5);
            System.out.println("  per search: " + cost);
            for (int n : new int[] {1, clients}) {
                phase("search " + c.name() + " on " + images + " images: " + n + " client(s)");
                String before = loadAverage();
                Load.Result r = Load.run("search", n, warmup, window, search(url, c.expected()), null);
                System.out.println("  " + r);
                rows.add(new Row(images, c.name(), n, r, cost, before, loadAverage()));
            }
        }
    }

    private String url(String label, String cursor) {
        return app.url() + "/api/images?label=" + Clients.enc(label) + "&limit=" + PAGE
                + (cursor == null ? "" : "&cursor=" + Clients.enc(cursor));
    }

    /** The cursor that gives the page-th page (following nextCursor from the first page). */
    private String cursorOfPage(String label, int page) throws IOException {
        String cursor = null;
        for (int p = 1; p < page; p++) {
            JsonNode body = get(url(label, cursor), PAGE);
            cursor = body.path("nextCursor").asText(null);
            if (cursor == null) {
                throw new IllegalStateException("the label " + label + " has fewer than " + page + " pages");
            }
        }
        return cursor;
    }

    /** One search at a time, {@code times} times: what one search read (the same every time). */
    private DynamoRecorder.Totals cost(String url, int expected, int times) throws IOException {
        DynamoRecorder.Totals last = null;
        double millis = 0;
        for (int i = 0; i < times; i++) {
            recorder.record();
            get(url, expected);
            DynamoRecorder.Totals t = recorder.stop();
            if (last != null && (t.queries() != last.queries() || t.scanned() != last.scanned()
                    || t.readUnits() != last.readUnits())) {
                throw new IllegalStateException("the same search read differently: " + last + " then " + t);
            }
            last = t;
            millis += t.millis();
        }
        // the reads are the same every time; the time is the mean
        return new DynamoRecorder.Totals(last.queries(), last.scanned(), last.returned(), last.readUnits(), millis / times);
    }

    private JsonNode get(String url, int expected) throws IOException {
        Http.Response r = Http.get(url, api.auth(), 2000, 30000);
        if (r.status() != 200) {
            throw new IllegalStateException("search answered HTTP " + r.status() + ": " + r.text());
        }
        JsonNode body = Clients.JSON.readTree(r.body());
        if (body.path("images").size() != expected) {
            throw new IllegalStateException("expected " + expected + " images, got " + body.path("images").size()
                    + " from " + url);
        }
        return body;
    }

    private Load.Task search(String url, int expected) {
        return client -> {
            Http.Response r = Http.get(url, api.auth(), 2000, 30000);
            if (r.status() != 200) {
                return Load.Outcome.error("http-" + r.status());
            }
            int n = Clients.JSON.readTree(r.body()).path("images").size();
            return n == expected ? Load.Outcome.ok(null) : Load.Outcome.error("images-" + n);
        };
    }
}
