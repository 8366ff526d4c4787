package digiads.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import digiads.events.ImageKeys;
import digiads.events.S3EventParser;
import digiads.local.MotoServer;
import digiads.ops.PipelineMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.StatefulService;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import routes.ImageEventsRoute;
import routes.QueueConsumerRouteConfiguration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Stopping the events consumer as shipped (its endpoint from application.properties, the image-events
 * route and the consumers' route configuration of the app) against SQS's wire protocol (moto), with
 * the extraction behind it held by the test. The SQS client tracks what it holds ({@link HeldMessages}),
 * and the stop ends as the application's does: Camel stops, then {@link AwsBatches#close} sends the last
 * deletes and releases what is still held. A visibility timeout of 60 s, so that a message left hidden
 * is still hidden when the test looks; long polls of 5 s, so that some are under way when the stop begins.
 */
class ConsumerShutdownIntegrationTest {

    private static final int VISIBILITY_TIMEOUT = 60;

    private final String queue = "shutdown-" + UUID.randomUUID();
    private final String dlq = queue + "-dlq";
    private SqsClient sqs;
    private String queueUrl;
    private HeldMessages held;
    private AwsBatches batches;
    private CamelContext camel;

    /** The images whose extraction began, and those whose extraction the test let finish. */
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final Set<String> finished = ConcurrentHashMap.newKeySet();
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();

    @BeforeEach
    void queues() {
        MotoServer moto = MotoServer.shared();
        SqsClient plain = SqsClient.builder().endpointOverride(URI.create(moto.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
        queueUrl = plain.createQueue(b -> b.queueName(queue)).queueUrl();
        plain.createQueue(b -> b.queueName(dlq));
        plain.close();
        String base = queueUrl.substring(0, queueUrl.lastIndexOf('/'));
        QueueUrls queues = QueueUrls.of(base, queue, dlq, "no-metadata", "no-metadata-dlq");
        held = new HeldMessages(List.of(queues.events(), queues.metadata()));
        sqs = SqsClient.builder().endpointOverride(URI.create(moto.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.addExecutionInterceptor(held)).build();
        batches = new AwsBatches(sqs, null, queues, held, "arn:aws:sns:us-east-1:123456789012:unused", "this-instance",
                Duration.ofSeconds(5));
    }

    /** The events consumer as shipped but for the queue, the visibility timeout, the long poll and these settings. */
    private void startConsumer(ShippedSettings settings) throws Exception {
        String base = queueUrl.substring(0, queueUrl.lastIndexOf('/'));
        camel = settings
                .with("digiads.sqs.events-queue", queue)
                .with("digiads.sqs.events-dlq", dlq)
                .with("digiads.sqs.base-url", base)
                .with("digiads.sqs.wait-time-seconds", "5")
                .with("digiads.sqs.events-visibility-timeout-seconds", String.valueOf(VISIBILITY_TIMEOUT))
                .camel(sqs);
        camel.getRegistry().bind("awsBatches", batches);
        camel.getRegistry().bind("failedMessages", new FailedMessages(sqs, Duration.ofSeconds(15)));
        camel.getRegistry().bind("s3EventParser", new S3EventParser(new ObjectMapper().findAndRegisterModules(),
                new ImageKeys("digiads-images", "images/")));
        camel.getRegistry().bind("pipelineMetrics", new PipelineMetrics(new SimpleMeterRegistry(),
                CircuitBreakerRegistry.ofDefaults()));
        camel.addRoutes(new QueueConsumerRouteConfiguration());
        camel.addRoutes(new ImageEventsRoute());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:extract-metadata").process(exchange -> {
                    String imageId = exchange.getProperty("imageId", String.class);
                    started.add(imageId);
                    CountDownLatch hold = holds.get(imageId);
                    if (hold != null) {
                        hold.await(60, TimeUnit.SECONDS);
                    }
                    finished.add(imageId);
                });
                from("direct:delete-metadata").log("not in these tests");
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        holds.values().forEach(CountDownLatch::countDown);
        if (camel != null && !camel.isStopped()) {
            stopLikeTheApplication();
        }
        sqs.deleteQueue(b -> b.queueUrl(queueUrl));
        sqs.deleteQueue(b -> b.queueUrl(queueUrl.replace(queue, dlq)));
        sqs.close();
    }

    private String send(String imageId) {
        return sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("""
                {"Records":[{"eventTime":"2026-12-07T10:00:00.000Z","eventName":"ObjectCreated:Put",
                 "s3":{"bucket":{"name":"digiads-images"},"object":{"key":"images/%s","size":10,"eTag":"e"}}}]}
                """.formatted(imageId))).messageId();
    }

    private int notVisible() {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private List<Message> receiveAll() {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
    }

    /** Stops as the application stops: Camel (its graceful shutdown), then the batcher's close. */
    private void stopLikeTheApplication() {
        camel.stop();
        batches.close();
    }

    @Test
    void aMessageReceivedAsTheConsumerStopsIsFinishedNotLeftHidden() throws Exception {
        // one image in work when the stop begins: the stop waits for it, while the other consumers' long polls run on
        startConsumer(ShippedSettings.load());
        CountDownLatch firstHeld = new CountDownLatch(1);
        holds.put("first.jpg", firstHeld);
        send("first.jpg");
        await().atMost(Duration.ofSeconds(30)).until(() -> started.contains("first.jpg"));

        StatefulService consumer = (StatefulService) camel.getRoute("image-events").getConsumer();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(this::stopLikeTheApplication);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> consumer.isSuspending() || consumer.isSuspended());
        // a message for a long poll under way as the consumer stops polling
        send("late.jpg");
        await("a long poll under way took the late message").atMost(Duration.ofSeconds(10))
                .until(() -> held.size() == 2 || started.contains("late.jpg"));
        firstHeld.countDown();
        stopping.get(60, TimeUnit.SECONDS);

        assertThat(finished).as("every message the consumers received was worked on before they stopped")
                .containsExactlyInAnyOrder("first.jpg", "late.jpg");
        assertThat(notVisible()).as("none left hidden").isZero();
        assertThat(receiveAll()).as("both deleted, none to come back").isEmpty();
        assertThat(held.size()).isZero();
    }

    @Test
    void aMessageWhoseWorkOutlastsTheShutdownTimeoutGoesBackToItsQueueAtOnce() throws Exception {
        // one consumer, busy with the message: no receive under way when the stop cuts the work off (a receive
        // cut off with it may still take a message SQS-side, which then waits out its visibility timeout)
        startConsumer(ShippedSettings.load().with("digiads.sqs.events-consumers", "1"));
        camel.getShutdownStrategy().setTimeout(2);
        holds.put("slow.jpg", new CountDownLatch(1));
        String id = send("slow.jpg");
        await().atMost(Duration.ofSeconds(30)).until(() -> started.contains("slow.jpg"));

        stopLikeTheApplication();

        assertThat(finished).as("its work was cut off").doesNotContain("slow.jpg");
        assertThat(notVisible()).as("not hidden for its visibility timeout (%d s)", VISIBILITY_TIMEOUT).isZero();
        List<Message> back = receiveAll();
        assertThat(back).extracting(Message::messageId).as("visible again at once").containsExactly(id);
        assertThat(back.getFirst().attributes()).containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "2");
    }
}
