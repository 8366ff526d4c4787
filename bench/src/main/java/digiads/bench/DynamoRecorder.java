package digiads.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback pass-through in front of a DynamoDB endpoint, the app's {@code digiads.aws.dynamodb-endpoint-override}:
 * it asks every Query for its consumed capacity ({@code ReturnConsumedCapacity: TOTAL}) and, while
 * recording, adds up what DynamoDB's answers say it did: Query calls, items read ({@code ScannedCount}),
 * items returned ({@code Count}), read units ({@code ConsumedCapacity.CapacityUnits}), and the time
 * the calls took here. Everything else passes unchanged (the app's answers are DynamoDB's bytes, so
 * their CRC32 still holds; the emulator does not check the request's signature).
 */
final class DynamoRecorder implements AutoCloseable {

    /** What the recorded Queries did, summed. */
    record Totals(long queries, long scanned, long returned, double readUnits, double millis) {
    }

    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(16);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final URI target;
    private volatile boolean recording;
    private long queries;
    private long scanned;
    private long returned;
    private double readUnits;
    private long nanos;

    private DynamoRecorder(URI target) throws IOException {
        // TCP_NODELAY on the server's sockets: it writes an answer's headers and body apart, and Nagle's
        // algorithm would hold the body until the client's delayed ACK (40 ms a Query)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.target = target;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/", this::forward);
        server.setExecutor(pool);
        server.start();
    }

    static DynamoRecorder start(String target) {
        try {
            return new DynamoRecorder(URI.create(target));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Starts adding up from zero. */
    synchronized void record() {
        queries = 0;
        scanned = 0;
        returned = 0;
        readUnits = 0;
        nanos = 0;
        recording = true;
    }

    /** Stops adding up; what was recorded since {@link #record()}. */
    synchronized Totals stop() {
        recording = false;
        return new Totals(queries, scanned, returned, readUnits, nanos / 1e6);
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String operation = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            boolean query = operation != null && operation.endsWith(".Query");
            if (query) {
                ObjectNode json = (ObjectNode) Clients.JSON.readTree(body);
                json.put("ReturnConsumedCapacity", "TOTAL");
                body = Clients.JSON.writeValueAsBytes(json);
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body))
                    .timeout(Duration.ofSeconds(30));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            long t0 = System.nanoTime();
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            long took = System.nanoTime() - t0;
            if (query && recording && response.statusCode() == 200) {
                JsonNode answer = Clients.JSON.readTree(response.body());
                synchronized (this) {
                    queries++;
                    scanned += answer.path("ScannedCount").asLong();
                    returned += answer.path("Count").asLong();
                    readUnits += answer.path("ConsumedCapacity").path("CapacityUnits").asDouble();
                    nanos += took;
                }
            }
            response.headers().map().forEach((name, values) -> {
                if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT)) && !name.equalsIgnoreCase("transfer-encoding")
                        && !name.equals(":status")) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            exchange.getResponseBody().write(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
