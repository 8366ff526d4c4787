package digiads.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * podman as the container tests call it: through docker/podman/podman.sh (the project's
 * containers.conf: runc, cgroupfs, no default ulimits), each command's output kept in a log under
 * target/container/. A missing podman fails the test with what to install; nothing is skipped.
 */
public final class Podman {

    static final Path SCRIPT = Path.of("docker/podman/podman.sh");
    static final Path LOCAL_BASE = Path.of("docker/local-base/build.sh");
    static final Path LOGS = Path.of("target/container");

    /** What a command printed (stdout and stderr) and its exit code. */
    public record Result(int exit, String output) {
        public Result requireSuccess(String what) {
            if (exit != 0) {
                throw new IllegalStateException(what + " failed (exit " + exit + "):\n" + tail(output, 4000));
            }
            return this;
        }
    }

    private Podman() {
    }

    /** Fails with what to install when podman (or runc, or mmdebstrap for the local base) is missing. */
    public static void require() {
        for (String tool : List.of("podman", "runc", "mmdebstrap")) {
            if (run(List.of("sh", "-c", "command -v " + tool), Duration.ofSeconds(10), null).exit() != 0) {
                throw new IllegalStateException(tool + " is not installed: the container tests build and run the image"
                        + " with Debian's podman (apt-get install podman runc mmdebstrap; .ci/run installs them)");
            }
        }
    }

    /** podman with the project's settings; the output also goes to target/container/{log}.log. */
    public static Result podman(String log, Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return run(command, timeout, log);
    }

    /**
     * Builds the local base images when their inputs changed (docker/local-base/build.sh) and returns
     * the build arguments that select them.
     */
    public static List<String> localBaseBuildArgs() {
        run(List.of(LOCAL_BASE.toAbsolutePath().toString()), Duration.ofMinutes(10), "local-base")
                .requireSuccess("building the local base images (docker/local-base/build.sh)");
        String printed = run(List.of(LOCAL_BASE.toAbsolutePath().toString(), "--print"), Duration.ofSeconds(10), null)
                .requireSuccess("docker/local-base/build.sh --print").output().strip();
        return List.of(printed.split("\\s+"));
    }

    /** Builds docker/Dockerfile (the app's stage, or {@code target}) over the local bases, as {@code tag}. */
    public static Result build(String tag, String target) {
        List<String> args = new ArrayList<>(List.of("build", "--network=host", "--format", "docker",
                "-f", "docker/Dockerfile", "-t", tag));
        args.addAll(localBaseBuildArgs());
        if (target != null) {
            args.addAll(List.of("--target", target));
        }
        args.add(".");
        return podman("build-" + tag.replaceAll("[^a-zA-Z0-9.-]", "_"), Duration.ofMinutes(20), args.toArray(String[]::new))
                .requireSuccess("podman build of docker/Dockerfile");
    }

    static Result run(List<String> command, Duration timeout, String log) {
        try {
            Files.createDirectories(LOGS);
            Path output = Files.createTempFile(LOGS, "podman", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (log != null) {
                Files.move(output, LOGS.resolve(log + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.delete(output);
            }
            return new Result(process.exitValue(), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String tail(String text, int chars) {
        return text.length() <= chars ? text : "..." + text.substring(text.length() - chars);
    }
}
