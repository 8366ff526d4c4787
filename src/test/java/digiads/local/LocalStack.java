package digiads.local;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Everything the app runs against locally, without the app: moto server (emulated AWS), the labeler
 * (DetectLabels by a real image model), the Rekognition stand-in in front of it (DetectModerationLabels
 * from its mappings, the rest passed on to moto), the Deals API stand-in and the local OAuth2 issuer.
 * The one definition of the local stack: {@code digiads.LocalDigiads} starts it next to the app; the
 * container test and the container proofs start it for an app in a container on the host's network;
 * {@link #main} starts it on its own, on the ports of the "local" profile:
 * <pre>java -cp target/test-classes:target/classes:$(test classpath) digiads.local.LocalStack</pre>
 */
public final class LocalStack implements AutoCloseable {

    /** Where each part listens; {@link #LOCAL} are the ports of application-local.properties. */
    public record Ports(int moto, int labeler, int rekognition, int deals, int issuer) {

        public static final Ports LOCAL = new Ports(4566, 4568, 4567, 8089, LocalIssuer.DEFAULT_PORT);

        /** Free ports, for a stack beside others on the same machine. */
        public static Ports free() {
            return new Ports(MotoServer.freePort(), MotoServer.freePort(), MotoServer.freePort(),
                    MotoServer.freePort(), MotoServer.freePort());
        }
    }

    private final Ports ports;
    private final MotoServer moto;
    private final List<AutoCloseable> started;
    private final LocalIssuer.Running issuer;
    private final WireMockServer deals;

    private LocalStack(Ports ports, MotoServer moto, List<AutoCloseable> started, LocalIssuer.Running issuer,
                       WireMockServer deals) {
        this.ports = ports;
        this.moto = moto;
        this.started = started;
        this.issuer = issuer;
        this.deals = deals;
    }

    /**
     * Starts the stack on the ports, printing what it started. A moto server already listening on
     * {@code ports.moto()} is used as it is when {@code reuseListeningMoto} (the local run's habit).
     * The issuer's tokens carry {@code http://localhost:PORT} as iss when {@code localhostIssuer}, else
     * {@code http://127.0.0.1:PORT}.
     */
    public static LocalStack start(Ports ports, boolean reuseListeningMoto, boolean localhostIssuer) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            MotoServer moto = null;
            String aws = "http://127.0.0.1:" + ports.moto();
            if (reuseListeningMoto && MotoServer.listening(ports.moto())) {
                System.out.println("Using the moto server already listening on port " + ports.moto());
            } else {
                moto = MotoServer.start(ports.moto());
                started.add(moto);
                System.out.println("Started " + moto);
            }
            LabelerServer labeler = LabelerServer.start(ports.labeler(), aws);
            started.add(labeler);
            System.out.println("Started the labeler (DetectLabels by a real image model) on " + labeler.endpoint());
            WireMockServer rekognition = RekognitionStandIn.start(ports.rekognition(), aws, labeler.endpoint());
            started.add(rekognition::stop);
            System.out.println("Started the Rekognition stand-in (DetectLabels to the labeler, DetectModerationLabels"
                    + " from its mappings) on " + rekognition.baseUrl());
            WireMockServer deals = DealsStandIn.start(ports.deals());
            started.add(deals::stop);
            System.out.println("Started the Deals API stand-in (WireMock) on " + deals.baseUrl());
            LocalIssuer.Running issuer = LocalIssuer.start(ports.issuer(),
                    (localhostIssuer ? "http://localhost:" : "http://127.0.0.1:") + ports.issuer(), true);
            started.add(issuer.context()::close);
            System.out.println("Started the local OAuth2 issuer on " + issuer.url());
            return new LocalStack(ports, moto, started, issuer, deals);
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    public Ports ports() {
        return ports;
    }

    public String awsEndpoint() {
        return "http://127.0.0.1:" + ports.moto();
    }

    public String rekognitionEndpoint() {
        return "http://127.0.0.1:" + ports.rekognition();
    }

    public String dealsEndpoint() {
        return deals.baseUrl();
    }

    public LocalIssuer.Running issuer() {
        return issuer;
    }

    /** The moto server this stack started (null when it reused one already listening). */
    public MotoServer moto() {
        return moto;
    }

    /**
     * Creates the resources of infra/resources.json in moto with docker/provision/provision.py (the
     * compose service's script), for an app that does not provision them itself (the container).
     */
    public void provision() {
        Path python = ChildProcess.venvExecutable("python");
        ProcessBuilder builder = new ProcessBuilder(python.toString(),
                Path.of("docker/provision/provision.py").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(Path.of("target/provision.log").toFile());
        builder.environment().put("DIGIADS_AWS_ENDPOINT_OVERRIDE", awsEndpoint());
        try {
            int exit = builder.start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("provision.py exited with " + exit + ": see target/provision.log");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The environment an app needs to run against this stack (Spring's relaxed binding of the "local"
     * profile's settings): for a container on the host's network.
     */
    public List<String> appEnvironment() {
        return List.of(
                "DIGIADS_AWS_ENDPOINT_OVERRIDE=" + awsEndpoint(),
                "DIGIADS_AWS_REKOGNITION_ENDPOINT_OVERRIDE=" + rekognitionEndpoint(),
                "DIGIADS_AWS_REGION=us-east-1",
                "DIGIADS_AWS_ACCESS_KEY_ID=test",
                "DIGIADS_AWS_SECRET_ACCESS_KEY=test",
                "DIGIADS_AWS_ACCOUNT_ID=123456789012",
                "DIGIADS_SQS_BASE_URL=" + awsEndpoint() + "/123456789012",
                "DIGIADS_SQS_WAIT_TIME_SECONDS=5",
                "DIGIADS_DEALS_BASE_URL=" + dealsEndpoint(),
                "DIGIADS_DEALS_API_KEY=local-dev-key",
                "DIGIADS_DEALS_LINK_SCHEMES=https,http",
                "DIGIADS_SECURITY_ISSUER_URI=" + issuer.url(),
                "DIGIADS_PAGE_AUTHORIZATION_URI=" + issuer.url() + "/oauth2/authorize",
                "DIGIADS_PAGE_TOKEN_URI=" + issuer.url() + "/oauth2/token",
                "DIGIADS_PAGE_JWK_SET_URI=" + issuer.url() + "/oauth2/jwks",
                "DIGIADS_PAGE_USER_INFO_URI=" + issuer.url() + "/userinfo");
    }

    @Override
    public void close() {
        closeAll(started);
    }

    private static void closeAll(List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("stopping the local stack: " + e);
            }
        }
    }

    /**
     * The stack alone on the local profile's ports, provisioned, until the JVM is stopped; the app runs
     * elsewhere (a container on the host's network, an IDE). The ports can be moved with
     * {@code --free-ports}, which prints them.
     */
    public static void main(String[] args) throws InterruptedException {
        boolean free = List.of(args).contains("--free-ports");
        LocalStack stack = start(free ? Ports.free() : Ports.LOCAL, true, !free);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "local-stack-stop"));
        stack.provision();
        System.out.println("Provisioned the resources of infra/resources.json in " + stack.awsEndpoint());
        System.out.println("The app's environment:");
        stack.appEnvironment().forEach(variable -> System.out.println("  " + variable));
        System.out.println("LOCAL_STACK_READY");
        new CountDownLatch(1).await();
    }
}
