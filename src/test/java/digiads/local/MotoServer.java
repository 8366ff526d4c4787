package digiads.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * moto server, the AWS emulator, as a child process on a local port. It runs from the project's
 * own venv ({@code .venv-moto}, created by the build). {@link #shared()} is the one instance all
 * tests of a JVM use; it is stopped when the JVM exits.
 */
public final class MotoServer implements AutoCloseable {

    private static MotoServer shared;

    private final ChildProcess process;
    private final int port;

    private MotoServer(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static synchronized MotoServer shared() {
        if (shared == null) {
            shared = start(freePort());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "moto-stop"));
        }
        return shared;
    }

    public static MotoServer start(int port) {
        Path executable = ChildProcess.venvExecutable("moto_server");
        // moto's request recorder (off until a test starts it) writes here, not into the working directory
        String recording = Path.of("target").toAbsolutePath().resolve("moto-" + port + "-recording.jsonl").toString();
        ChildProcess process = ChildProcess.start("moto", port,
                List.of(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)),
                "http://127.0.0.1:" + port + "/moto-api/", Duration.ofSeconds(60),
                "MOTO_RECORDER_FILEPATH", recording);
        return new MotoServer(process, port);
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
        return ChildProcess.answers("http://127.0.0.1:" + port + "/moto-api/");
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return "moto server at " + endpoint() + " " + process;
    }
}
