package digiads.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * moto server, the AWS emulator, as a child process on a local port. It runs from the project's
 * own venv ({@code .venv-moto}, created by the build). {@link #shared()} is the one instance all
 * tests of a JVM use; it is stopped when the JVM exits.
 */
public final class MotoServer implements AutoCloseable {

    private static MotoServer shared;

    private final Process process;
    private final int port;
    private final Path log;

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static synchronized MotoServer shared() {
        if (shared == null) {
            shared = start(freePort());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "moto-stop"));
        }
        return shared;
    }

    public static MotoServer start(int port) {
        Path venv = Path.of(System.getProperty("moto.venv", ".venv-moto")).toAbsolutePath();
        Path executable = venv.resolve("bin").resolve("moto_server");
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("moto server is not installed at " + executable
                    + ": run the build once (./mvnw test-compile) to create the venv");
        }
        try {
            Path logDir = Files.createDirectories(Path.of("target"));
            Path log = logDir.resolve("moto-" + port + ".log");
            ProcessBuilder builder = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // moto's request recorder (off until a test starts it) writes here, not into the working directory
            builder.environment().put("MOTO_RECORDER_FILEPATH",
                    logDir.toAbsolutePath().resolve("moto-" + port + "-recording.jsonl").toString());
            Process process = builder.start();
            MotoServer server = new MotoServer(process, port, log);
            server.awaitReady(Duration.ofSeconds(60));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start moto server", e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /**
     * Clears moto's request recording and starts recording every request it serves (moto's own
     * recorder: one JSON line per request, with its headers and body), until {@link #stopRecording()}.
     */
    public void startRecording() {
        recorder("reset-recording");
        recorder("start-recording");
    }

    public void stopRecording() {
        recorder("stop-recording");
    }

    /** The requests recorded since {@link #startRecording()}: JSON lines of headers, method, url, body (base64 when body_encoded). */
    public String recording() {
        return recorder("download-recording");
    }

    private String recorder(String action) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint() + "/moto-api/recorder/" + action)
                    .toURL().openConnection();
            connection.setRequestMethod("POST");
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(10000);
            int status = connection.getResponseCode();
            try (var in = connection.getInputStream()) {
                String body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (status != 200) {
                    throw new IllegalStateException("moto recorder " + action + ": " + status + " " + body);
                }
                return body;
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("moto recorder " + action, e);
        }
    }

    /** Whether anything answers on the given local port (e.g. a moto someone else started). */
    public static boolean listening(int port) {
        return answers("http://127.0.0.1:" + port + "/moto-api/");
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto server exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            if (answers(endpoint() + "/moto-api/")) {
                return;
            }
            sleep(100);
        }
        close();
        throw new IllegalStateException("moto server did not answer within " + timeout + "; log: " + log);
    }

    private static boolean answers(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            int status = connection.getResponseCode();
            connection.disconnect();
            return status == 200;
        } catch (IOException e) {
            return false;
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "moto server at " + endpoint() + " (log " + log + ", pid " + process.pid() + ")"
                + (process.isAlive() ? "" : " [exited]");
    }
}
