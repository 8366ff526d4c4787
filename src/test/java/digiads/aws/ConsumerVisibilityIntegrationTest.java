package digiads.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import digiads.local.MotoServer;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The events consumer exactly as shipped (its endpoint from application.properties), against SQS's
 * wire protocol (moto), with one change: a visibility timeout of 8 s instead of 90, so that holding
 * a message twice as long takes seconds. A message is delivered once however long it is held, and a
 * held message holds up no other. (Camel extends a held message when a fifth of its timeout is left:
 * 1.6 s here, room enough for a ChangeMessageVisibility call on a loaded machine; 18 s as shipped.)
 */
class ConsumerVisibilityIntegrationTest {

    private static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(8);

    private final String queue = "visibility-" + UUID.randomUUID();
    private SqsClient sqs;
    private String queueUrl;
    private CamelContext camel;

    private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    private final AtomicReference<String> held = new AtomicReference<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void queue() {
        MotoServer moto = MotoServer.shared();
        sqs = SqsClient.builder().endpointOverride(URI.create(moto.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
        queueUrl = sqs.createQueue(b -> b.queueName(queue)).queueUrl();
        camel = ShippedSettings.load()
                .with("digiads.sqs.events-queue", queue)
                .with("digiads.sqs.base-url", queueUrl.substring(0, queueUrl.lastIndexOf('/')))
                .with("digiads.sqs.wait-time-seconds", "1")
                .with("digiads.sqs.events-visibility-timeout-seconds", String.valueOf(VISIBILITY_TIMEOUT.toSeconds()))
                .camel(sqs);
    }

    @AfterEach
    void stop() {
        release.countDown();
        camel.stop();
        sqs.deleteQueue(b -> b.queueUrl(queueUrl));
        sqs.close();
    }

    /**
     * The first message to arrive is held until released; every other one is done at once. Done, a message
     * is deleted as the shipped routes delete it (the endpoint does not delete: {@link AwsBatches} does).
     */
    private void consume() throws Exception {
        AwsBatches batches = new AwsBatches(sqs, null, null, null, null, "this-instance", Duration.ofSeconds(5));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("{{digiads.endpoints.events-queue}}")
                        .onCompletion().onCompleteOnly().modeBeforeConsumer().process(batches::acknowledge).end()
                        .process(exchange -> {
                    String id = exchange.getMessage().getHeader(Sqs2Constants.MESSAGE_ID, String.class);
                    deliveries.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
                    if (held.compareAndSet(null, id)) {
                        assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
                    }
                    done.add(id);
                });
            }
        });
        camel.start();
    }

    private int deliveries(String id) {
        return deliveries.getOrDefault(id, new AtomicInteger()).get();
    }

    private int inFlight() {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Test
    void aMessageHeldTwiceItsVisibilityTimeoutIsDeliveredOnceAndHoldsUpNoOther() throws Exception {
        // both are waiting before the consumers start: a receive of more than one would take them together
        String first = sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"n\":1}")).messageId();
        String second = sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"n\":2}")).messageId();
        consume();

        await().atMost(Duration.ofSeconds(30)).until(() -> held.get() != null);
        String heldId = held.get();
        String otherId = heldId.equals(first) ? second : first;
        await("the other message, while the first is held").atMost(Duration.ofSeconds(30))
                .until(() -> done.contains(otherId));

        await().during(VISIBILITY_TIMEOUT.multipliedBy(2)).atMost(VISIBILITY_TIMEOUT.multipliedBy(3))
                .untilAsserted(() -> {
                    assertThat(deliveries(heldId)).as("deliveries of the held message").isEqualTo(1);
                    assertThat(inFlight()).as("the held message is in flight, hidden").isEqualTo(1);
                });

        release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> done.contains(heldId) && inFlight() == 0);
        assertThat(sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)).messages())
                .as("both deleted once done").isEmpty();
        assertThat(deliveries).containsOnlyKeys(first, second);
        assertThat(deliveries(first)).isEqualTo(1);
        assertThat(deliveries(second)).isEqualTo(1);
    }
}
