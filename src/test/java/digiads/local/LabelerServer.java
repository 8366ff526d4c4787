package digiads.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The local Rekognition labeler ({@code src/test/labeler/labeler.py}): DetectLabels on the real wire
 * protocol, answered by a real image model (EfficientNet-Lite0, ImageNet-1k) from the project's venv,
 * reading S3Object images from moto. The Rekognition stand-in passes DetectLabels to it
 * ({@link RekognitionStandIn}). {@link #shared()} is the one instance all tests of a JVM use.
 */
public final class LabelerServer implements AutoCloseable {

    static final Path SOURCES = Path.of("src/test/labeler");
    public static final Path TAXONOMY = SOURCES.resolve("imagenet-taxonomy.json");

    private static LabelerServer shared;

    private final ChildProcess process;
    private final int port;

    private LabelerServer(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static synchronized LabelerServer shared() {
        if (shared == null) {
            shared = start(MotoServer.freePort(), MotoServer.shared().endpoint());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "labeler-stop"));
        }
        return shared;
    }

    /**
     * Starts the labeler on the port.
     *
     * @param s3 the S3 endpoint (moto) that S3Object images are read from
     */
    public static LabelerServer start(int port, String s3) {
        Path python = ChildProcess.venvExecutable("python");
        Path model = ChildProcess.venv().resolve("labeler").resolve("efficientnet-lite0.onnx");
        if (!Files.isRegularFile(model)) {
            throw new IllegalStateException("the labeler's model is missing at " + model
                    + ": run the build once (./mvnw test-compile) to convert it");
        }
        ChildProcess process = ChildProcess.start("labeler", port, List.of(python.toString(),
                        SOURCES.resolve("labeler.py").toAbsolutePath().toString(),
                        "--port", Integer.toString(port), "--s3", s3,
                        "--model", model.toString(), "--taxonomy", TAXONOMY.toAbsolutePath().toString()),
                "http://127.0.0.1:" + port + "/health", Duration.ofSeconds(60),
                // one thread for the model's kernels: the labeler runs beside the app and moto on the same cores
                "OMP_NUM_THREADS", "1");
        return new LabelerServer(process, port);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return "labeler at " + endpoint() + " " + process;
    }
}
