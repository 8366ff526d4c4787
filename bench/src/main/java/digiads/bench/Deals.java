package digiads.bench;

import java.io.*;
import java.nio.file.Path;
import java.util.*;

/**
 * The Deals API: WireMock standalone (org.wiremock:wiremock-standalone) as its own JVM, serving the
 * project's mappings (src/test/resources/deals), controlled through its admin API: a global fixed
 * delay for every answer, and priority-1 stubs for the failure modes.
 */
final class Deals implements AutoCloseable {

    final int port;
    private final Path repo;
    private final Path logDir;
    private Proc proc;
    private int starts;

    Deals(Path repo, Path logDir) {
        this.repo = repo;
        this.logDir = logDir;
        this.port = Proc.freePort();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    Proc proc() {
        return proc;
    }

    void start() {
        starts++;
        proc = Proc.start("wiremock", List.of(
                Proc.java(), "-Xmx256m", "-jar", Service.wiremockJar().toString(),
                "--port", Integer.toString(port),
                "--bind-address", "127.0.0.1",
                "--root-dir", repo.resolve("src/test/resources/deals").toString(),
                "--container-threads", "200",
                "--jetty-acceptor-threads", "2",
                // delays are scheduled, not slept on a request thread: a 60 s "hanging" answer holds no thread
                "--async-response-enabled", "true",
                "--async-response-threads", "16",
                "--no-request-journal",
                "--disable-banner"), logDir, logDir.resolve("wiremock-" + starts + ".log"), Map.of());
        proc.await(java.time.Duration.ofSeconds(60), () -> Http.answers(baseUrl() + "/__admin/mappings"));
    }

    /** Stops the server: calls are then refused (nothing listens on the port). */
    void stop() {
        if (proc != null) {
            proc.stop(java.time.Duration.ofSeconds(5));
        }
    }

    /** The project's mappings, every answer delayed by this many milliseconds. */
    void healthy(int delayMillis) {
        admin("POST", "/__admin/mappings/reset", null);
        delay(delayMillis);
    }

    void delay(int millis) {
        admin("POST", "/__admin/settings", "{\"fixedDelay\": " + millis + "}");
    }

    /** A priority-1 stub for /deals that answers this response definition (JSON). */
    void answer(String responseJson) {
        admin("POST", "/__admin/mappings",
                "{\"priority\": 1, \"request\": {\"urlPath\": \"/deals\"}, \"response\": " + responseJson + "}");
    }

    private void admin(String method, String path, String body) {
        try {
            Http.Response r = Http.call(method, baseUrl() + path, Map.of(), body == null ? "" : body, 2000, 10000);
            if (r.status() >= 300) {
                throw new IllegalStateException("WireMock admin " + method + " " + path + ": " + r.status() + " " + r.text());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
