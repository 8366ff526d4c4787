package digiads.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The app's Rekognition endpoint ({@code digiads.aws.rekognition-endpoint-override}): moto has no
 * DetectModerationLabels, so WireMock standalone in its own JVM answers it from the project's mappings
 * ({@code src/test/resources/rekognition}: nothing found for the suite's keys) and passes every other
 * request (DetectLabels) on to moto ({@code --proxy-all}), as in the tests and in compose. The limit
 * loop moderates through it too, so both pipelines do the same work. Its request journal (bounded)
 * lets the suite count the moderation calls of a pipeline run.
 */
final class RekognitionStandIn implements AutoCloseable {

    final Proc proc;
    final int port;

    private RekognitionStandIn(Proc proc, int port) {
        this.proc = proc;
        this.port = port;
    }

    static RekognitionStandIn start(Path repo, int motoPort, Path logDir) {
        int port = Proc.freePort();
        Proc proc = Proc.start("rekognition", List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", Deals.wiremockJar().toString(),
                "--port", Integer.toString(port),
                "--bind-address", "127.0.0.1",
                "--root-dir", repo.resolve("src/test/resources/rekognition").toString(),
                "--proxy-all", "http://127.0.0.1:" + motoPort,
                "--container-threads", "200",
                "--jetty-acceptor-threads", "2",
                // a bounded journal: the suite counts the DetectModerationLabels calls it answered (AwsCalls)
                "--max-request-journal-entries", "50000",
                "--disable-banner"), logDir, logDir.resolve("rekognition.log"), Map.of());
        RekognitionStandIn standIn = new RekognitionStandIn(proc, port);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Http.answers(standIn.baseUrl() + "/__admin/health")) {
            if (!proc.alive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the Rekognition stand-in did not start:\n" + proc.tail(40));
            }
            Proc.sleep(100);
        }
        return standIn;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        proc.stop(Duration.ofSeconds(5));
    }
}
