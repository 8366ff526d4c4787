package digiads.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import digiads.TestImages;
import digiads.local.LocalIssuer;
import digiads.local.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image of docker/Dockerfile, built with podman over the local base images (cached layers) and
 * run on the host's network against the {@link LocalStack} (moto, the labeler behind the Rekognition
 * stand-in, the Deals stand-in, the issuer), as an operator runs it: non-root, read-only root file
 * system with a tmpfs /tmp, a memory limit, its HEALTHCHECK. One image goes through the API (a token
 * from the issuer, upload, labeled, its metadata and digiads read), the operator scrapes Prometheus on
 * the management port, and {@code podman stop} ends it with a drain (SIGTERM, exit 143, within the
 * grace period). Longer proofs (200 images in flight at the stop, kill -9, 512 MB and one CPU under
 * load): reliability/run.sh container-*.
 */
class ContainerImageTest {

    static final String IMAGE = "localhost/digiads:test";
    static final String NAME = "digiads-test-" + UUID.randomUUID().toString().substring(0, 8);
    static final String PASSWORD = UUID.randomUUID().toString();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    static LocalStack stack;
    static int port;
    static int managementPort;
    static long buildMillis;
    static long readyMillis;

    @BeforeAll
    static void buildAndStart() {
        Podman.require();
        long started = System.nanoTime();
        Podman.build(IMAGE, null);
        buildMillis = (System.nanoTime() - started) / 1_000_000;
        stack = LocalStack.start(LocalStack.Ports.free(), false, false);
        stack.provision();
        port = digiads.local.MotoServer.freePort();
        managementPort = digiads.local.MotoServer.freePort();
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", NAME, "--network=host",
                "--read-only", "--tmpfs", "/tmp", "--memory", "768m",
                "-e", "SERVER_PORT=" + port, "-e", "MANAGEMENT_SERVER_PORT=" + managementPort,
                "-e", "SPRING_SECURITY_USER_PASSWORD=" + PASSWORD));
        stack.appEnvironment().forEach(variable -> args.addAll(List.of("-e", variable)));
        args.add(IMAGE);
        started = System.nanoTime();
        Podman.podman("run", Duration.ofMinutes(1), args.toArray(String[]::new)).requireSuccess("podman run");
        await("the container's readiness").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    assertThat(state("{{.State.Running}}")).as("the container runs; its log: " + logs()).isEqualTo("true");
                    return status(get(managementPort, "/actuator/health/readiness", null)) == 200;
                });
        readyMillis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("container: build %d ms, start to ready %d ms%n", buildMillis, readyMillis);
    }

    @AfterAll
    static void stop() {
        Podman.podman("logs", Duration.ofSeconds(30), "logs", NAME);
        Podman.podman("rm", Duration.ofMinutes(1), "rm", "-f", "-t", "0", NAME);
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void runsAnImageThroughTheApiAndStopsWithADrain() throws Exception {
        // the image as built: non-root, its HEALTHCHECK kept (docker format), the container's settings
        assertThat(Podman.podman("inspect", Duration.ofSeconds(30), "image", "inspect", "--format",
                "{{.Config.User}} {{json .Config.Healthcheck.Test}}", IMAGE).requireSuccess("inspect").output())
                .startsWith("10001:10001").contains("/actuator/health/liveness");
        assertThat(state("{{.HostConfig.ReadonlyRootfs}}")).isEqualTo("true");
        assertThat(Podman.podman("healthcheck", Duration.ofSeconds(30), "healthcheck", "run", NAME).exit())
                .as("podman healthcheck run (the image's HEALTHCHECK)").isZero();

        String token = stack.issuer().token(LocalIssuer.Client.DEV);
        byte[] cat = TestImages.photo("chelsea.jpg");
        HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(api("/api/images?name=container/chelsea.jpg"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(cat)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        JsonNode metadata = await("the image labeled").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> json(get(port, "/api/images/container%2Fchelsea.jpg/metadata", "Bearer " + token)),
                        m -> m != null && "LABELED".equals(m.path("status").asText()));
        assertThat(metadata.path("size").asLong()).isEqualTo(cat.length);
        assertThat(metadata.path("labels").findValuesAsText("name")).as("labels by the model").contains("Cat");

        // Deals within the app's time budget (800 ms, 700 ms a call): a lookup that runs out of it answers
        // degraded, with no deals (the budget at work), and what it fetched meanwhile is not kept. The stand-in's
        // first answers (a cold JVM on a loaded machine) can be slower: it answers once before, and the
        // digiads are asked again while they come back degraded; each answer is a 200.
        HTTP.send(HttpRequest.newBuilder(URI.create(stack.dealsEndpoint() + "/deals?q=Cat")).header("X-Api-Key", "warm-up")
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
        JsonNode digiads = await("deals for its labels").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    HttpResponse<String> answer = get(port, "/api/images/container%2Fchelsea.jpg/digiads", "Bearer " + token);
                    assertThat(status(answer)).as(answer == null ? "no answer" : answer.body()).isEqualTo(200);
                    JsonNode ads = JSON.readTree(answer.body());
                    assertThat(ads.path("deals").size() > 0 || ads.path("degraded").asBoolean())
                            .as("deals, or an answer degraded by the time budget: " + answer.body()).isTrue();
                    return ads;
                }, ads -> ads.path("deals").size() > 0);
        assertThat(digiads.path("deals").size()).as("deals for its labels").isPositive();

        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(get(managementPort, "/actuator/prometheus", null).statusCode()).isEqualTo(401);
        HttpResponse<String> scrape = get(managementPort, "/actuator/prometheus", basic);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("jvm_memory_max_bytes").contains("camel_exchanges");

        // SIGTERM: the app drains and exits by itself (143) well within the grace period, not killed (137)
        long stopping = System.nanoTime();
        Podman.podman("stop", Duration.ofMinutes(1), "stop", "-t", "40", NAME).requireSuccess("podman stop");
        long stopMillis = (System.nanoTime() - stopping) / 1_000_000;
        System.out.printf("container: stop with drain %d ms%n", stopMillis);
        assertThat(state("{{.State.ExitCode}}")).as("exit code after SIGTERM; log: " + logs()).isEqualTo("143");
        assertThat(stopMillis).isLessThan(40_000);
        assertThat(logs()).contains("Graceful shutdown complete")
                .as("nothing refused by the read-only root or the tmpfs").doesNotContain("Read-only file system")
                .doesNotContain("Cannot create").doesNotContain("Permission denied");
    }

    static URI api(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    static HttpResponse<String> get(int port, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int status(HttpResponse<String> response) {
        return response == null ? -1 : response.statusCode();
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return status(response) == 200 ? JSON.readTree(response.body()) : null;
    }

    static String state(String format) {
        return Podman.podman("inspect", Duration.ofSeconds(30), "container", "inspect", "--format", format, NAME)
                .requireSuccess("podman inspect").output().strip();
    }

    static String logs() {
        return Podman.tail(Podman.podman("logs", Duration.ofSeconds(30), "logs", NAME).output(), 6000);
    }
}
