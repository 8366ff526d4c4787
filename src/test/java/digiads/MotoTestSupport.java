package digiads;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import digiads.local.AwsResources;
import digiads.local.DealsStandIn;
import digiads.local.MotoServer;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole application against moto server over HTTP, with the real AWS SDK: the shared moto of
 * this JVM, resources provisioned by {@link AwsResources}, the app on a random port. Subclasses
 * share one Spring context; each test uses image ids of its own.
 */
@CamelSpringBootTest
@DisableJmx(false)
@AutoConfigureObservability
@SpringBootTest(classes = {DigiadsApplication.class, AwsResources.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class MotoTestSupport {

    protected static final Duration PIPELINE_TIMEOUT = Duration.ofSeconds(30);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The operator's password, made up per test JVM: none is committed. */
    protected static final String ADMIN_USER = "operator";
    protected static final String ADMIN_PASSWORD = java.util.UUID.randomUUID().toString();

    @DynamicPropertySource
    static void moto(DynamicPropertyRegistry registry) {
        registry.add("spring.security.user.name", () -> ADMIN_USER);
        registry.add("spring.security.user.password", () -> ADMIN_PASSWORD);
        registry.add("digiads.aws.endpoint-override", () -> MotoServer.shared().endpoint());
        registry.add("digiads.deals.base-url", () -> DealsStandIn.shared().baseUrl());
    }

    @LocalServerPort
    protected int port;
    @Autowired
    protected S3Client s3;
    @Autowired
    protected SqsClient sqs;
    @Autowired
    protected DynamoDbClient dynamo;
    @Autowired
    protected AwsResources.Provisioned queues;
    @Autowired
    protected ObjectMapper json;

    protected static final String BUCKET = "digiads-images";
    protected static final String PREFIX = "images/";
    protected static final String TABLE = "digiads-metadata";

    /** The path segment of an image id: percent-encoded, a slash as %2F, a space as %20. */
    protected static String segment(String imageId) {
        return URLEncoder.encode(imageId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    protected HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    protected HttpResponse<String> getAsOperator(String path) {
        return send(asOperator(HttpRequest.newBuilder(uri(path)).GET()));
    }

    /** The request with the operator's HTTP Basic credentials. */
    protected static HttpRequest.Builder asOperator(HttpRequest.Builder request) {
        String basic = java.util.Base64.getEncoder()
                .encodeToString((ADMIN_USER + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        return request.header("Authorization", "Basic " + basic);
    }

    protected HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    protected JsonNode body(HttpResponse<String> response) {
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    protected HttpResponse<String> metadata(String imageId) {
        return get("/api/images/" + segment(imageId) + "/metadata");
    }

    /** Waits until GET metadata answers 200 and returns the body. */
    protected JsonNode awaitMetadata(String imageId) {
        var holder = new JsonNode[1];
        org.awaitility.Awaitility.await("metadata of " + imageId).atMost(PIPELINE_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    HttpResponse<String> response = metadata(imageId);
                    if (response.statusCode() == 200) {
                        holder[0] = body(response);
                        return true;
                    }
                    return false;
                });
        return holder[0];
    }

    protected void awaitNoMetadata(String imageId) {
        org.awaitility.Awaitility.await("metadata of " + imageId + " gone").atMost(PIPELINE_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> metadata(imageId).statusCode() == 404);
    }

    /** Waits until a queue has no message, visible or in flight. */
    protected void awaitQueueEmpty(String queueUrl) {
        org.awaitility.Awaitility.await("queue drained").atMost(PIPELINE_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    var attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                            software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                            .attributes().values();
                    return attributes.stream().allMatch("0"::equals);
                });
    }

    /** Waits until both pipeline queues are drained: every event sent so far is fully processed. */
    protected void awaitPipelineIdle() {
        awaitQueueEmpty(queues.eventsQueueUrl());
        awaitQueueEmpty(queues.metadataQueueUrl());
    }

    /** An S3 event notification as S3 sends it, for crafting deliveries (order, duplicates). */
    protected static String s3Event(String eventName, String imageId, String eTag, java.time.Instant eventTime) {
        String key = java.net.URLEncoder.encode(PREFIX + imageId, StandardCharsets.UTF_8);
        return """
                {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
                 "eventTime":"%s","eventName":"%s",
                 "s3":{"bucket":{"name":"%s"},"object":{"key":"%s","size":10,"eTag":"%s"}}}]}
                """.formatted(eventTime, eventName, BUCKET, key, eTag);
    }

    protected void sendEvent(String body) {
        sqs.sendMessage(b -> b.queueUrl(queues.eventsQueueUrl()).messageBody(body));
    }

    protected String putObject(String imageId, byte[] bytes, String contentType) {
        return s3.putObject(b -> b.bucket(BUCKET).key(PREFIX + imageId).contentType(contentType),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes)).eTag().replace("\"", "");
    }
}
