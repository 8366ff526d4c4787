package digiads.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.MotoTestSupport;
import digiads.aws.AwsBatches;
import digiads.TestImages;
import digiads.local.LocalIssuer;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Live updates end to end on moto: the pipeline's state changes reach this instance's open event
 * streams (bearer token, read scope) within 2 s of the write, in process, and the other instances'
 * through the SNS topic and this instance's own queue, which leaves out this instance's own; a reconnect with Last-Event-ID gets what it missed; the instance's queue lets only the topic
 * send and goes at shutdown; streams are capped, kept open with heartbeats, and refused without the
 * read scope.
 */
class LiveUpdatesIntegrationTest extends MotoTestSupport {

    private static final Duration WITHIN = Duration.ofSeconds(2);
    /** A stream's first event comes at once; a loaded machine may take a moment. */
    private static final Duration READY = Duration.ofSeconds(10);

    @Autowired
    UpdatesSubscription subscription;
    @Autowired
    SnsClient sns;
    @Autowired
    CamelContext camel;
    @Autowired
    LiveProperties live;
    @Autowired
    StreamHub hub;
    @Autowired
    AwsBatches batches;

    @BeforeEach
    void subscribed() throws InterruptedException {
        assertThat(subscription.awaitSubscribed(Duration.ofSeconds(30))).as("updates queue subscribed").isTrue();
    }

    private SseClient imageStream(String imageId) {
        return SseClient.open(uri("/api/images/" + segment(imageId) + "/events"), token(LocalIssuer.Client.READER), null);
    }

    private Instant writtenAt(String imageId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(TABLE).consistentRead(true)
                .key(Map.of("imageId", AttributeValue.fromS(imageId)))).item();
        return Instant.ofEpochMilli(Long.parseLong(item.get("listedAt").n()));
    }

    @Test
    void anImagesStreamHearsItIsInWorkThenLabeledWithinTwoSecondsOfTheWrite() throws Exception {
        String imageId = "live/labeled photo.jpg";
        try (SseClient stream = imageStream(imageId)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.response().headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            SseClient.Event ready = stream.await("ready", READY);
            assertThat(json.readTree(ready.data()).get("resumed").asBoolean()).isFalse();

            putObject(imageId, TestImages.photo("chelsea.jpg"), "image/jpeg");

            JsonNode inWork = json.readTree(stream.await("image", PIPELINE_TIMEOUT).data());
            assertThat(inWork.get("status").asText()).isEqualTo("IN_WORK");
            SseClient.Event labeled = stream.await(e -> e.data() != null && e.data().contains("\"LABELED\""), PIPELINE_TIMEOUT);
            JsonNode update = json.readTree(labeled.data());
            assertThat(update.get("imageId").asText()).isEqualTo(imageId);
            assertThat(update.get("labels")).isNotEmpty();
            assertThat(update.get("orderToken").asText()).isEqualTo(inWork.get("orderToken").asText());
            assertThat(labeled.id()).isNotBlank();
            assertThat(Duration.between(writtenAt(imageId), labeled.arrived())).isLessThan(WITHIN);
        }
    }

    @Test
    void theGalleryStreamHearsEveryImageAndItsDeletion() throws Exception {
        String imageId = "live/gallery-" + System.nanoTime() + ".gif";
        try (SseClient gallery = SseClient.open(uri("/api/events"), token(LocalIssuer.Client.READER), null)) {
            gallery.await("ready", READY);
            putObject(imageId, TestImages.gif(), "image/gif");
            JsonNode rejected = json.readTree(gallery.await(e -> e.data() != null && e.data().contains(imageId)
                    && e.data().contains("REJECTED"), PIPELINE_TIMEOUT).data());
            assertThat(rejected.get("reason").asText()).contains("image/gif");

            assertThat(send(as(LocalIssuer.Client.WRITER, java.net.http.HttpRequest.newBuilder(
                    uri("/api/images/" + segment(imageId))).DELETE())).statusCode()).isEqualTo(202);
            gallery.await(e -> e.data() != null && e.data().contains(imageId) && e.data().contains("DELETED"),
                    PIPELINE_TIMEOUT);
        }
    }

    @Test
    void aStreamThatReconnectsWithLastEventIdGetsWhatItMissedAndAnUnknownIdIsToldToReadAgain() throws Exception {
        String imageId = "live/resumed.png";
        String lastEventId;
        try (SseClient first = imageStream(imageId)) {
            lastEventId = first.await("ready", READY).id();
        }
        // a gallery's stream tells when the change has reached this instance's streams
        try (SseClient gallery = SseClient.open(uri("/api/events"), token(LocalIssuer.Client.READER), null)) {
            gallery.await("ready", READY);
            putObject(imageId, TestImages.png(), "image/png");
            gallery.await(e -> e.data() != null && e.data().contains(imageId) && e.data().contains("LABELED"),
                    PIPELINE_TIMEOUT);
        }
        try (SseClient witness = SseClient.open(uri("/api/images/" + segment(imageId) + "/events"),
                token(LocalIssuer.Client.READER), lastEventId)) {
            SseClient.Event missed = witness.await(e -> e.data() != null && e.data().contains("LABELED"), PIPELINE_TIMEOUT);
            assertThat(missed.id()).isNotEqualTo(lastEventId);
            SseClient.Event ready = witness.await("ready", READY);
            assertThat(json.readTree(ready.data()).get("resumed").asBoolean()).isTrue();
        }
        try (SseClient stranger = SseClient.open(uri("/api/images/" + segment(imageId) + "/events"),
                token(LocalIssuer.Client.READER), "another-instance-17")) {
            SseClient.Event ready = stranger.await("ready", READY);
            assertThat(json.readTree(ready.data()).get("resumed").asBoolean()).isFalse();
        }
    }

    @Test
    void idleStreamsGetHeartbeats() throws Exception {
        try (SseClient stream = SseClient.open(uri("/api/events"), token(LocalIssuer.Client.READER), null)) {
            stream.await("ready", READY);
            SseClient.Event beat = stream.await(e -> e.comment() != null, Duration.ofSeconds(5));
            assertThat(beat.comment()).isEqualTo("heartbeat");
        }
    }

    @Test
    void streamsNeedAValidTokenWithTheReadScope() {
        try (SseClient anonymous = SseClient.open(uri("/api/events"), null, null);
             SseClient writer = SseClient.open(uri("/api/images/x.jpg/events"), token(LocalIssuer.Client.WRITER), null);
             SseClient hostile = SseClient.open(uri("/api/images/..%2F..%2Fx/events"), token(LocalIssuer.Client.READER), null)) {
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(writer.status()).isEqualTo(403);
            assertThat(hostile.status()).isEqualTo(404);
        }
    }

    @Test
    void overTheCapAStreamIsRefusedWith503AndRetryAfter() throws Exception {
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < live.streams().maxOpen() + 5; i++) {
                SseClient stream = SseClient.open(uri("/api/events"), token(LocalIssuer.Client.READER), null);
                open.add(stream);
                if (stream.status() == 503) {
                    break;
                }
            }
            SseClient refused = open.get(open.size() - 1);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.response().headers().firstValue("Retry-After")).hasValue("5");
            assertThat(json.readTree(refused.refusal()).get("error").asText()).isEqualTo("service_unavailable");
            assertThat(open.size() - 1).isLessThanOrEqualTo(live.streams().maxOpen());
        } finally {
            open.forEach(SseClient::close);
        }
        // closed streams give their places back (the server finds out at the next heartbeat at the latest)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> hub.openStreams() == 0);
        try (SseClient again = SseClient.open(uri("/api/events"), token(LocalIssuer.Client.READER), null)) {
            assertThat(again.status()).isEqualTo(200);
        }
    }

    @Test
    void theInstancesQueueTakesMessagesFromTheTopicOnlyAndGoesAtShutdown() throws Exception {
        var attributes = sqs.getQueueAttributes(b -> b.queueUrl(subscription.queueUrl())
                .attributeNames(QueueAttributeName.POLICY, QueueAttributeName.QUEUE_ARN)).attributes();
        JsonNode statement = json.readTree(attributes.get(QueueAttributeName.POLICY)).get("Statement").get(0);
        assertThat(statement.get("Principal").get("Service").asText()).isEqualTo("sns.amazonaws.com");
        assertThat(statement.get("Action").asText()).isEqualTo("sqs:SendMessage");
        assertThat(statement.get("Resource").asText()).isEqualTo(attributes.get(QueueAttributeName.QUEUE_ARN));
        assertThat(statement.get("Condition").get("ArnEquals").get("aws:SourceArn").asText())
                .isEqualTo(queues.updatesTopicArn());
        assertThat(sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscription.subscriptionArn())).attributes())
                .containsEntry("RawMessageDelivery", "true")
                .containsEntry("FilterPolicy", subscription.filterPolicy(live.updates().origin()));

        // another instance's subscription, made and ended as at a start and a shutdown
        LiveProperties other = new LiveProperties(new LiveProperties.Updates(live.updates().topicArn(),
                "digiads-updates-other-instance", "other-instance", 1, 10, Duration.ofSeconds(1)), live.streams());
        UpdatesSubscription another = new UpdatesSubscription(sqs, sns, camel, json, other);
        another.start();
        assertThat(another.awaitSubscribed(Duration.ofSeconds(30))).isTrue();
        String queueUrl = another.queueUrl();
        String subscriptionArn = another.subscriptionArn();
        assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(queues.updatesTopicArn())).subscriptions())
                .anyMatch(s -> s.subscriptionArn().equals(subscriptionArn));

        another.destroy();

        assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(queues.updatesTopicArn())).subscriptions())
                .noneMatch(s -> s.subscriptionArn().equals(subscriptionArn));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)))
                .isInstanceOf(QueueDoesNotExistException.class);
    }

    /** An update as another instance (or, origin null, an earlier release) publishes it to the topic. */
    private void publishAs(String origin, String imageId, String marker) throws Exception {
        String message = json.writeValueAsString(new ImageUpdate(imageId, "LABELED", marker, "image/jpeg", List.of(),
                "00000000000000000001", Instant.now()));
        sns.publish(b -> {
            b.topicArn(queues.updatesTopicArn()).message(message);
            if (origin != null) {
                b.messageAttributes(Map.of(InstanceId.UPDATE_ORIGIN, software.amazon.awssdk.services.sns.model.MessageAttributeValue
                        .builder().dataType("String").stringValue(origin).build()));
            }
        });
    }

    @Test
    void theOtherInstancesUpdatesComeThroughThisInstancesQueueAndItsOwnStayOut() throws Exception {
        String imageId = "live/elsewhere-" + System.nanoTime() + ".jpg";
        try (SseClient stream = imageStream(imageId)) {
            stream.await("ready", READY);
            // published in this order; on moto the topic delivers to the queue in order, and the queue's one
            // consumer hands them on in order: had this instance's own come through, it would come first
            publishAs(live.updates().origin(), imageId, "own-through-the-topic");
            publishAs("another-instance", imageId, "from-another-instance");
            publishAs(null, imageId, "from-an-earlier-release");

            List<String> heard = new ArrayList<>();
            stream.await(e -> {
                if (e.data() != null) {
                    heard.add(e.data());
                }
                return e.data() != null && e.data().contains("from-an-earlier-release");
            }, PIPELINE_TIMEOUT);
            assertThat(heard).anyMatch(d -> d.contains("from-another-instance"))
                    .noneMatch(d -> d.contains("own-through-the-topic"));
        }
    }

    @Test
    void thisInstancesUpdatesGoToTheOthersNamingItsOrigin() throws Exception {
        String otherId = "other-" + System.nanoTime();
        LiveProperties other = new LiveProperties(new LiveProperties.Updates(live.updates().topicArn(),
                "digiads-updates-" + otherId, otherId, 1, 10, Duration.ofSeconds(1)), live.streams());
        UpdatesSubscription another = new UpdatesSubscription(sqs, sns, camel, json, other);
        another.start();
        try {
            assertThat(another.awaitSubscribed(Duration.ofSeconds(30))).isTrue();
            // no one consumes the other instance's queue here: what reaches it can be read
            batches.publishUpdate("{\"imageId\":\"from-this-instance\"}");
            AwsBatches asTheOther = new AwsBatches(sqs, sns, null, null, live.updates().topicArn(), otherId, Duration.ofSeconds(5));
            asTheOther.publishUpdate("{\"imageId\":\"its-own\"}");
            asTheOther.close();
            batches.publishUpdate("{\"imageId\":\"again-from-this-instance\"}");

            List<software.amazon.awssdk.services.sqs.model.Message> received = new ArrayList<>();
            org.awaitility.Awaitility.await().atMost(PIPELINE_TIMEOUT).until(() -> {
                received.addAll(sqs.receiveMessage(b -> b.queueUrl(another.queueUrl()).maxNumberOfMessages(10)
                        .waitTimeSeconds(1).messageAttributeNames("All")).messages());
                return received.stream().anyMatch(m -> m.body().contains("again-from-this-instance"));
            });
            assertThat(received).extracting(software.amazon.awssdk.services.sqs.model.Message::body)
                    .containsExactly("{\"imageId\":\"from-this-instance\"}", "{\"imageId\":\"again-from-this-instance\"}");
            assertThat(received).allSatisfy(m -> assertThat(m.messageAttributes().get(InstanceId.UPDATE_ORIGIN).stringValue())
                    .isEqualTo(live.updates().origin()));
        } finally {
            another.destroy();
        }
    }
}
