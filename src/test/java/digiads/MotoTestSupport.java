package digiads;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import digiads.local.AwsResources;
import digiads.local.DealsStandIn;
import digiads.local.LocalIssuer;
import digiads.local.MotoServer;
import digiads.local.RekognitionStandIn;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole application against moto server over HTTP, with the real AWS SDK: the shared moto of
 * this JVM (Rekognition through the shared {@link RekognitionStandIn}, which adds
 * DetectModerationLabels), resources provisioned by {@link AwsResources}, the shared local issuer of this JVM's
 * tokens, the app on a random port and its management port on another. Subclasses
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
    /** Tokens live an hour: one per client serves a test JVM. */
    private static final Map<LocalIssuer.Client, String> TOKENS = new ConcurrentHashMap<>();

    /** The operator's password, made up per test JVM: none is committed. */
    protected static final String ADMIN_USER = "operator";
    protected static final String ADMIN_PASSWORD = java.util.UUID.randomUUID().toString();

    @DynamicPropertySource
    static void moto(DynamicPropertyRegistry registry) {
        registry.add("digiads.security.issuer-uri", () -> LocalIssuer.shared().url());
        registry.add("management.server.port", () -> 0);
        registry.add("spring.security.user.name", () -> ADMIN_USER);
        registry.add("spring.security.user.password", () -> ADMIN_PASSWORD);
        registry.add("digiads.aws.endpoint-override", () -> MotoServer.shared().endpoint());
        registry.add("digiads.aws.rekognition-endpoint-override", () -> RekognitionStandIn.shared().baseUrl());
        registry.add("digiads.deals.base-url", () -> DealsStandIn.shared().baseUrl());
    }

    @LocalServerPort
    protected int port;
    @LocalManagementPort
    protected int managementPort;
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

    /** A GET of the management port, as anybody. */
    protected HttpResponse<String> management(String path) {
        return send(HttpRequest.newBuilder(managementUri(path)).GET());
    }

    /** A GET of the management port, as the operator. */
    protected HttpResponse<String> getAsOperator(String path) {
        return send(asOperator(HttpRequest.newBuilder(managementUri(path)).GET()));
    }

    /** An access token of a local issuer's client (the developer holds both scopes). */
    protected static String token(LocalIssuer.Client client) {
        return TOKENS.computeIfAbsent(client, c -> LocalIssuer.shared().token(c));
    }

    /** The request with a client's bearer token. */
    protected static HttpRequest.Builder as(LocalIssuer.Client client, HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + token(client));
    }

    /** The request with the operator's HTTP Basic credentials. */
    protected static HttpRequest.Builder asOperator(HttpRequest.Builder request) {
        String basic = java.util.Base64.getEncoder()
                .encodeToString((ADMIN_USER + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        return request.header("Authorization", "Basic " + basic);
    }

    /**
     * Sends the request; an API request without credentials goes as the developer (both scopes), as
     * the tests of what the API does are not about who may call it (SecurityMatrixIntegrationTest is).
     */
    protected HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        if (built.uri().getPort() == port && built.uri().getPath().startsWith("/api/")
                && built.headers().firstValue("Authorization").isEmpty()) {
            built = HttpRequest.newBuilder(built, (name, value) -> true)
                    .header("Authorization", "Bearer " + token(LocalIssuer.Client.DEV)).build();
        }
        return sendAsIs(built);
    }

    /** Sends the request with exactly the credentials it has (none, for an anonymous one). */
    protected HttpResponse<String> sendAsIs(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A URL of the public port (the API). */
    protected URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** A URL of the management port (actuator, Hawtio, Jolokia). */
    protected URI managementUri(String path) {
        return URI.create("http://localhost:" + managementPort + path);
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

    /**
     * Every message a queue holds now, with its attributes; for the shared dead-letter queues, where a
     * single receive (at most 10 messages) would see only some of what other tests left there. Reads
     * until a receive comes back empty, hiding what it read meanwhile, then makes it all visible again.
     */
    protected java.util.List<software.amazon.awssdk.services.sqs.model.Message> allMessages(String queueUrl) {
        java.util.List<software.amazon.awssdk.services.sqs.model.Message> all = new java.util.ArrayList<>();
        try {
            while (true) {
                var received = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                        .messageAttributeNames("All").visibilityTimeout(60).waitTimeSeconds(0)).messages();
                if (received.isEmpty()) {
                    return all;
                }
                all.addAll(received);
            }
        } finally {
            for (int i = 0; i < all.size(); i += 10) {
                var batch = all.subList(i, Math.min(all.size(), i + 10));
                sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(batch.stream().map(m ->
                        software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry.builder()
                                .id(m.messageId()).receiptHandle(m.receiptHandle()).visibilityTimeout(0).build())
                        .toList()));
            }
        }
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

    /** A metadata message, as extract-metadata posts it, straight onto the metadata queue. */
    protected void sendMetadata(digiads.metadata.ImageMetadata metadata) {
        try {
            String body = json.writeValueAsString(metadata);
            sqs.sendMessage(b -> b.queueUrl(queues.metadataQueueUrl()).messageBody(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The order token stored for an image now, read from the table. */
    protected String storedOrderToken(String imageId) {
        return dynamo.getItem(b -> b.tableName(TABLE).consistentRead(true)
                .key(Map.of("imageId", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(imageId))))
                .item().get("orderToken").s();
    }

    /** A token just older than the given one (the emulator's events carry no sequencer: tokens are event times). */
    protected static String justBefore(String orderToken) {
        return shifted(orderToken, -1);
    }

    /** An order token 1 ms newer than an event-time token. */
    protected static String justAfter(String orderToken) {
        return shifted(orderToken, 1);
    }

    private static String shifted(String orderToken, long millis) {
        if (!orderToken.startsWith("T")) {
            throw new IllegalStateException("expected an event-time token from the emulator, got " + orderToken);
        }
        return digiads.metadata.OrderTokens.of(null,
                java.time.Instant.ofEpochMilli(Long.parseLong(orderToken.substring(1)) + millis));
    }

    protected String putObject(String imageId, byte[] bytes, String contentType) {
        return s3.putObject(b -> b.bucket(BUCKET).key(PREFIX + imageId).contentType(contentType),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes)).eTag().replace("\"", "");
    }
}
