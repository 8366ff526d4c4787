package digiads.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in server run as a child process of the tests or the local run (moto server, the labeler):
 * started with its output in {@code target/NAME-PORT.log}, ready once a URL of its answers 200, stopped
 * with SIGTERM (SIGKILL after five seconds).
 */
final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** The venv's directory: {@code moto.venv} (the build sets it), else {@code .venv-moto}. */
    static Path venv() {
        return Path.of(System.getProperty("moto.venv", ".venv-moto")).toAbsolutePath();
    }

    /** An executable of the venv, or a clear error when the build has not created it yet. */
    static Path venvExecutable(String name) {
        Path executable = venv().resolve("bin").resolve(name);
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException(name + " is not installed at " + executable
                    + ": run the build once (./mvnw test-compile) to create the venv");
        }
        return executable;
    }

    /**
     * Starts the command and waits until {@code readyUrl} answers 200.
     *
     * @param environment extra environment variables, name then value
     */
    static ChildProcess start(String name, int port, List<String> command, String readyUrl, Duration timeout,
                              String... environment) {
        try {
            Path logDir = Files.createDirectories(Path.of("target"));
            Path log = logDir.resolve(name + "-" + port + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            for (int i = 0; i + 1 < environment.length; i += 2) {
                builder.environment().put(environment[i], environment[i + 1]);
            }
            ChildProcess child = new ChildProcess(name, builder.start(), log);
            child.awaitReady(readyUrl, timeout);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    private void awaitReady(String url, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            if (answers(url)) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException(name + " did not answer within " + timeout + "; log: " + log);
    }

    /** Whether the URL answers 200 within two seconds. */
    static boolean answers(String url) {
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

    boolean alive() {
        return process.isAlive();
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
        return "(log " + log + ", pid " + process.pid() + ")" + (process.isAlive() ? "" : " [exited]");
    }
}
