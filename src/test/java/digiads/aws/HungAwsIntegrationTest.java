package digiads.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import digiads.DigiadsApplication;
import digiads.DigiadsProperties;
import digiads.events.ImageEvent;
import digiads.local.LocalIssuer;
import digiads.local.ResourceDefinition;
import digiads.metadata.ImageMetadata;
import digiads.metadata.OrderTokens;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * The application with every AWS endpoint hung: a socket that accepts connections and never answers
 * ({@link HungEndpoint}), and the time limits of application.properties. A REST call answers 503
 * {@code service_unavailable} with Retry-After within its AWS call limit; the pipeline's steps fail
 * their exchange within theirs, far within the queues' visibility timeout, so the message is not
 * deleted and comes back for another try. Every bound is an upper bound: the limit plus a margin
 * generous enough for a loaded machine (the HTTP client gives up there).
 */
@CamelSpringBootTest
@SpringBootTest(classes = DigiadsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@DirtiesContext
class HungAwsIntegrationTest {

    private static final Duration MARGIN = Duration.ofSeconds(5);
    /** The shortest visibility timeout of the work queues (infra/resources.json). */
    private static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(ResourceDefinition.load().queues().values()
            .stream().mapToInt(ResourceDefinition.Queue::visibilityTimeoutSeconds).min().orElseThrow());
    private static final HungEndpoint HUNG = HungEndpoint.start();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void hungAws(DynamicPropertyRegistry registry) {
        registry.add("digiads.aws.endpoint-override", HUNG::url);
        registry.add("digiads.security.issuer-uri", () -> LocalIssuer.shared().url());
        registry.add("management.server.port", () -> 0);
        registry.add("spring.security.user.password", () -> java.util.UUID.randomUUID().toString());
        registry.add("digiads.deals.base-url", () -> "http://127.0.0.1:9");
        registry.add("digiads.sqs.events-consumers", () -> 1);
        registry.add("digiads.sqs.metadata-consumers", () -> 1);
        // Camel's aws2-s3 endpoint checks its bucket (HeadBucket) when it starts, which a hung S3 fails
        // (within the S3 call limit): uploads and deletes go nowhere here. The pipeline's own S3 reads do hang.
        registry.add("digiads.endpoints.images-bucket", () -> "mock:images-bucket");
    }

    @AfterAll
    static void closeHungEndpoint() {
        HUNG.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    DigiadsProperties properties;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    ObjectMapper json;

    @Test
    void aReadBehindAHungDynamoDbAnswers503WithRetryAfterWithinItsCallLimit() throws Exception {
        Duration limit = properties.aws().timeouts().dynamodbApiCall();

        for (String path : List.of("/api/images/a.jpg/metadata", "/api/images/a.jpg/digiads")) {
            HttpResponse<String> response = call("GET", path, limit.plus(MARGIN));

            assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(503);
            JsonNode error = json.readTree(response.body());
            assertThat(error.path("error").asText()).isEqualTo("service_unavailable");
            assertThat(error.path("message").asText()).isNotBlank();
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/json"));
            assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        }
        assertThat(HUNG.connections()).isPositive();
    }

    @Test
    void thePipelineFailsItsExchangeWithinTheCallLimitWellBeforeTheVisibilityTimeout() {
        DigiadsProperties.Aws.Timeouts timeouts = properties.aws().timeouts();
        String token = OrderTokens.of(null, Instant.now());
        ImageEvent created = new ImageEvent(ImageEvent.Kind.CREATED, "ObjectCreated:Put", Instant.now(),
                "digiads-images", "images/a.jpg", "a.jpg", 10, "e1", null);
        ImageEvent removed = new ImageEvent(ImageEvent.Kind.REMOVED, "ObjectRemoved:Delete", Instant.now(),
                "digiads-images", "images/a.jpg", "a.jpg", 0, null, null);

        // addMetadata's write (DynamoDB), extractMetadata's probe (S3 GET), deleteMetadata's check (S3 HEAD)
        assertFailsInTime("direct:store-state", ImageMetadata.deleted("a.jpg", "digiads-images", "images/a.jpg", token),
                timeouts.dynamodbApiCall());
        assertFailsInTime("direct:extract-metadata", created, timeouts.apiCall());
        assertFailsInTime("direct:delete-metadata", removed, timeouts.apiCall());
    }

    private void assertFailsInTime(String route, Object body, Duration limit) {
        assertThat(limit.plus(MARGIN)).isLessThan(VISIBILITY_TIMEOUT.dividedBy(2));

        Exchange done = assertTimeoutPreemptively(limit.plus(MARGIN), () -> producer.send(route, e -> {
            e.setProperty("imageId", "a.jpg"); // as image-events sets it
            e.getMessage().setBody(body);
        }), route);

        assertThat(done.isFailed()).as(route + " failed: its message stays on the queue").isTrue();
        assertThat(timedOut(done.getException())).as(route + ": " + done.getException()).isTrue();
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** An API call as the developer; the client gives up after the bound, which fails the test. */
    private HttpResponse<String> call(String method, String path, Duration bound) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + LocalIssuer.shared().token(LocalIssuer.Client.DEV))
                .timeout(bound)
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
