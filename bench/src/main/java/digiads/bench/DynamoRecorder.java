package digiads.bench;

import java.io.*;
import java.net.*;
import java.net.http.*;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.*;

/**
 * A loopback pass-through in front of a DynamoDB endpoint: adds {@code ReturnConsumedCapacity: TOTAL} to every Query and,
 * while recording, sums what the answers say they read; counts calls by operation (the suite's own left out); serves
 * TransactWriteItems, which dynalite lacks, by its actions ({@link #transactWriteItems}). The rest passes unchanged.
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
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> operations =
            new java.util.concurrent.ConcurrentHashMap<>();

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

    /** Forgets the calls counted so far and counts from zero. */
    void countOperations() {
        operations.clear();
    }

    /** The calls since {@link #countOperations()} by "DynamoDB Operation", the suite's own left out. */
    java.util.Map<String, Long> operations() {
        java.util.Map<String, Long> counted = new java.util.TreeMap<>();
        operations.forEach((op, n) -> counted.put(op, n.sum()));
        return counted;
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String operation = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            boolean query = operation != null && operation.endsWith(".Query");
            if (operation != null && exchange.getRequestHeaders().getFirst(AwsCalls.DRIVER_HEADER) == null) {
                operations.computeIfAbsent("DynamoDB " + operation.substring(operation.indexOf('.') + 1),
                        k -> new java.util.concurrent.atomic.LongAdder()).increment();
            }
            if (operation != null && operation.endsWith(".TransactWriteItems")) {
                transactWriteItems(exchange, operation, body);
                return;
            }
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

    // ---- TransactWriteItems, which dynalite lacks ------------------------------------------------

    /**
     * Serves a TransactWriteItems by its actions on the target, one call each, with the action's own
     * condition: the actions with a condition first, one after the other (the first failed condition
     * answers TransactionCanceledException with DynamoDB's cancellation reasons, and the unconditional
     * actions are then not written), then the others at once. Not atomic: a condition failing after an
     * earlier conditional action leaves that action written, and a concurrent reader may see some of the
     * actions before the others. The pipeline writes each image's transaction once (a redelivery reads the
     * item again first), so that never changes what it measures.
     */
    private void transactWriteItems(HttpExchange exchange, String operation, byte[] body)
            throws IOException, InterruptedException {
        String prefix = operation.substring(0, operation.indexOf('.') + 1);
        JsonNode actions = Clients.JSON.readTree(body).path("TransactItems");
        List<HttpRequest> conditional = new java.util.ArrayList<>();
        List<Integer> conditionalIndex = new java.util.ArrayList<>();
        List<HttpRequest> plain = new java.util.ArrayList<>();
        int index = 0;
        for (JsonNode action : actions) {
            var entry = action.properties().iterator().next();
            String call = switch (entry.getKey()) {
                case "Put" -> "PutItem";
                case "Update" -> "UpdateItem";
                case "Delete" -> "DeleteItem";
                default -> null;
            };
            if (call == null) {
                answer(exchange, 400, "ValidationException", "the recorder does not serve " + entry.getKey()
                        + " in a TransactWriteItems", null);
                return;
            }
            ObjectNode request = ((ObjectNode) entry.getValue()).deepCopy();
            request.remove("ReturnValuesOnConditionCheckFailure");
            HttpRequest.Builder b = HttpRequest.newBuilder(target.resolve("/"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Clients.JSON.writeValueAsBytes(request)))
                    .timeout(Duration.ofSeconds(30))
                    .header("X-Amz-Target", prefix + call)
                    .header("Content-Type", "application/x-amz-json-1.0");
            for (String h : List.of("Authorization", "X-Amz-Date")) {
                String v = exchange.getRequestHeaders().getFirst(h);
                if (v != null) {
                    b.header(h, v);
                }
            }
            if (request.has("ConditionExpression")) {
                conditional.add(b.build());
                conditionalIndex.add(index);
            } else {
                plain.add(b.build());
            }
            index++;
        }
        for (int i = 0; i < conditional.size(); i++) {
            HttpResponse<byte[]> r = client.send(conditional.get(i), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                String type = Clients.JSON.readTree(r.body()).path("__type").asText("");
                if (!type.endsWith("ConditionalCheckFailedException")) {
                    answer(exchange, r.statusCode(), type.substring(type.indexOf('#') + 1), new String(r.body(),
                            java.nio.charset.StandardCharsets.UTF_8), null);
                    return;
                }
                com.fasterxml.jackson.databind.node.ArrayNode reasons = Clients.JSON.createArrayNode();
                for (int k = 0; k < index; k++) {
                    ObjectNode reason = reasons.addObject();
                    if (k == conditionalIndex.get(i)) {
                        reason.put("Code", "ConditionalCheckFailed").put("Message", "The conditional request failed");
                    } else {
                        reason.put("Code", "None");
                    }
                }
                answer(exchange, 400, "TransactionCanceledException", "Transaction cancelled, please refer "
                        + "cancellation reasons for specific reasons", reasons);
                return;
            }
        }
        List<java.util.concurrent.CompletableFuture<HttpResponse<byte[]>>> sent = plain.stream()
                .map(r -> client.sendAsync(r, HttpResponse.BodyHandlers.ofByteArray())).toList();
        for (var f : sent) {
            HttpResponse<byte[]> r;
            try {
                r = f.join();
            } catch (java.util.concurrent.CompletionException e) {
                answer(exchange, 500, "InternalServerError", String.valueOf(e.getCause()), null);
                return;
            }
            if (r.statusCode() != 200) {
                answer(exchange, 500, "InternalServerError", new String(r.body(), java.nio.charset.StandardCharsets.UTF_8), null);
                return;
            }
        }
        answer(exchange, 200, null, null, null);
    }

    /** A DynamoDB JSON answer: {} on success, else the error's type, message and cancellation reasons. */
    private static void answer(HttpExchange exchange, int status, String type, String message, JsonNode reasons)
            throws IOException {
        ObjectNode json = Clients.JSON.createObjectNode();
        if (type != null) {
            json.put("__type", "com.amazonaws.dynamodb.v20120810#" + type);
            json.put("message", message);
            if (reasons != null) {
                json.set("CancellationReasons", reasons);
            }
        }
        byte[] bytes = Clients.JSON.writeValueAsBytes(json);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
