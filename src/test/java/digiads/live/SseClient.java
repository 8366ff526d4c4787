package digiads.live;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A server-sent events client for the tests: the events of one stream, each with when it arrived. */
public final class SseClient implements AutoCloseable {

    /** One event (or a comment, with {@code comment} set) and the instant it was read. */
    public record Event(String id, String name, String data, String comment, Instant arrived) {
    }

    /**
     * HTTP/1.1 as browsers speak to the app (no h2c upgrade attempt on every stream); a stream whose
     * answer does not begin within the request timeout fails the test instead of hanging it.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpResponse<java.util.stream.Stream<String>> response;
    private final Thread reader;
    /** The body of a refusal (not 200), read at once. */
    private final String refusal;

    private SseClient(HttpResponse<java.util.stream.Stream<String>> response) {
        this.response = response;
        this.refusal = response.statusCode() == 200 ? null : String.join("\n", response.body().toList());
        this.reader = new Thread(this::read, "sse-client");
        this.reader.setDaemon(true);
        if (refusal == null) {
            this.reader.start();
        }
    }

    /** The body of a refused stream (its JSON error). */
    public String refusal() {
        return refusal;
    }

    /** Opens a stream; the request may carry a token or Last-Event-ID. */
    public static SseClient open(URI uri, String bearerToken, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(ANSWER_TIMEOUT).header("Accept", "text/event-stream").GET();
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public HttpResponse<java.util.stream.Stream<String>> response() {
        return response;
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (line.isEmpty()) {
                    if (name != null || data.length() > 0) {
                        events.add(new Event(id, name == null ? "message" : name, data.toString(), null, Instant.now()));
                    }
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    events.add(new Event(null, null, null, line.substring(1).trim(), Instant.now()));
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).trim());
                }
            }
        } catch (RuntimeException e) {
            // closed
        }
    }

    /** The next event (not a comment) that matches, waiting at most the timeout; fails the test otherwise. */
    public Event await(Predicate<Event> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event event = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no matching event within " + timeout);
            }
            if (matching.test(event)) {
                return event;
            }
        }
    }

    /** The next event named so (skipping others), as {@link #await}. */
    public Event await(String name, Duration timeout) throws InterruptedException {
        return await(e -> name.equals(e.name()), timeout);
    }

    @Override
    public void close() {
        response.body().close();
        reader.interrupt();
    }
}
