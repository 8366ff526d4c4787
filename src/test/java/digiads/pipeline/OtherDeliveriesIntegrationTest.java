package digiads.pipeline;

import static digiads.events.S3EventSamples.eventBridge;
import static digiads.events.S3EventSamples.lifecycleExpiration;
import static digiads.events.S3EventSamples.sns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.events.S3EventSamples;
import digiads.metadata.ImageFormat;
import digiads.metadata.ImageMetadata;
import digiads.metadata.Label;
import digiads.metadata.MetadataItemMapper;
import digiads.metadata.OrderTokens;
import digiads.metadata.ProbedImage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * S3 events as SNS and EventBridge deliver them, and lifecycle expirations and delete markers, sent
 * to the events queue the way AWS would: the metadata ends up right (created: LABELED; expired or
 * hidden behind a delete marker: a tombstone, 404). The events carry no sequencer, as moto's own do
 * not: both then order by event time.
 *
 * <p>moto's bucket notification reports every upload itself. So that a creation test proves the
 * delivery under test did the work, the image first gets a removal newer than that upload (as if it
 * had been processed already): moto's ObjectCreated is then too old to store anything, and only the
 * later event sent here can label the image.
 */
class OtherDeliveriesIntegrationTest extends MotoTestSupport {

    @Autowired
    MetadataItemMapper items;

    @Test
    void theBucketNotificationIncludesLifecycleExpirations() {
        var configurations = s3.getBucketNotificationConfiguration(b -> b.bucket(BUCKET)).queueConfigurations();

        assertThat(configurations).singleElement().satisfies(c -> assertThat(c.events())
                .contains(Event.S3_OBJECT_CREATED, Event.S3_OBJECT_REMOVED, Event.S3_LIFECYCLE_EXPIRATION));
    }

    @Test
    void anUploadNotifiedThroughSnsIsLabeled() {
        String imageId = "deliveries/sns upload+1.jpg";
        Instant removed = removedBeforeUpload(imageId);
        String eTag = putObject(imageId, TestImages.jpeg(), "image/jpeg");

        sendEvent(sns(S3EventSamples.s3Event("2.1", "ObjectCreated:Put", removed.plusSeconds(60), "AIDAJDPLRKLG7UEXAMPLE",
                encoded(imageId), "\"size\":" + TestImages.jpeg().length + ",\"eTag\":\"" + eTag + "\"")));

        var metadata = awaitMetadata(imageId);
        assertThat(metadata.path("status").asText()).isEqualTo("LABELED");
        assertThat(metadata.path("eTag").asText()).isEqualTo(eTag);
    }

    @Test
    void anUploadReportedByEventBridgeIsLabeledUnderItsKeyAsItIs() {
        // EventBridge does not URL-encode keys: a '+' stays a plus, a space a space.
        String imageId = "deliveries/eventbridge upload+1.png";
        Instant removed = removedBeforeUpload(imageId);
        String eTag = putObject(imageId, TestImages.png(), "image/png");

        sendEvent(eventBridge("Object Created", removed.plusSeconds(60), "123456789012", PREFIX + imageId,
                "\"size\":" + TestImages.png().length + ",\"etag\":\"" + eTag + "\"",
                "\"source-ip-address\":\"1.2.3.4\",\"reason\":\"PutObject\""));

        var metadata = awaitMetadata(imageId);
        assertThat(metadata.path("status").asText()).isEqualTo("LABELED");
        assertThat(metadata.path("contentType").asText()).isEqualTo("image/png");
    }

    @Test
    void anExpiredOrDeleteMarkedImageLosesItsMetadataHoweverTheEventArrives() {
        Instant now = Instant.now();
        Map<String, String> deliveries = Map.of(
                "expired/s3.jpg", lifecycleExpiration("LifecycleExpiration:Delete", now, encoded("expired/s3.jpg"),
                        "\"size\":1024,\"eTag\":\"e1\""),
                "expired/sns marker.jpg", sns(lifecycleExpiration("LifecycleExpiration:DeleteMarkerCreated", now,
                        encoded("expired/sns marker.jpg"), "\"versionId\":\"mtB0cV.jejK63XkRNceanNMC.qXPWLeK\"")),
                "expired/versioned.jpg", S3EventSamples.s3Event("2.1", "ObjectRemoved:DeleteMarkerCreated", now, "AIDAJDPLRKLG7UEXAMPLE",
                        encoded("expired/versioned.jpg"), "\"versionId\":\"1QW9g1Z99LUNbvaaYVpW9xDlOLU.qxgF\""),
                "expired/eventbridge.jpg", eventBridge("Object Deleted", now, "s3.amazonaws.com", PREFIX + "expired/eventbridge.jpg",
                        "\"etag\":\"e1\"", "\"reason\":\"Lifecycle Expiration\",\"deletion-type\":\"Permanently Deleted\""),
                "expired/eventbridge+sns.jpg", sns(eventBridge("Object Deleted", now, "s3.amazonaws.com",
                        PREFIX + "expired/eventbridge+sns.jpg", "\"etag\":\"e1\"",
                        "\"reason\":\"Lifecycle Expiration\",\"deletion-type\":\"Delete Marker Created\"")));
        deliveries.keySet().forEach(imageId -> {
            labeledEarlier(imageId, now.minusSeconds(3600));
            assertThat(metadata(imageId).statusCode()).isEqualTo(200);
        });

        deliveries.values().forEach(this::sendEvent);

        deliveries.keySet().forEach(imageId -> {
            awaitNoMetadata(imageId);
            Map<String, AttributeValue> item = item(imageId);
            assertThat(item.get("status").s()).as(imageId).isEqualTo("DELETED");
            assertThat(item).as(imageId).containsKey(MetadataItemMapper.EXPIRES_AT);
            assertThat(item.get(MetadataItemMapper.ORDER_TOKEN).s()).as("the removal's own tombstone")
                    .isEqualTo(OrderTokens.of(null, now));
        });
    }

    @Test
    void snsConfirmationsAndOtherEventBridgeEventsAreAcknowledgedNotDeadLettered() {
        String marker = UUID.randomUUID().toString();
        String confirmation = S3EventSamples.SNS_SUBSCRIPTION_CONFIRMATION.replace("165545c9-2a5c-472c-8df2-7ff2be2b3b1b", marker);
        String restored = S3EventSamples.EB_RESTORE_COMPLETED.replace("17793124-05d4-b198-2fde-7ededc63b103", marker);
        String ec2 = S3EventSamples.EC2_STATE_CHANGE.replace("7bf73129-1428-4cd3-a780-95db273d1602", marker);

        List.of(confirmation, restored, ec2).forEach(this::sendEvent);
        awaitQueueEmpty(queues.eventsQueueUrl());

        assertThat(allMessages(queues.eventsDlqUrl())).noneMatch(m -> m.body().contains(marker));
    }

    @Test
    void garbageInAnSnsEnvelopeIsDeadLetteredWithTheReason() {
        String garbage = sns("no S3 event " + UUID.randomUUID());

        sendEvent(garbage);

        await().atMost(PIPELINE_TIMEOUT).untilAsserted(() -> assertThat(allMessages(queues.eventsDlqUrl()))
                .anySatisfy(m -> {
                    assertThat(m.body()).isEqualTo(garbage);
                    assertThat(m.messageAttributes().get("DeadLetterReason").stringValue())
                            .startsWith("SNS notification of topic " + S3EventSamples.TOPIC + ": not JSON: ");
                }));
    }

    /**
     * Records a removal of the image a minute from now, as if it had been processed: moto's own
     * ObjectCreated of an upload now is older and changes nothing.
     */
    private Instant removedBeforeUpload(String imageId) {
        Instant removed = Instant.now().plusSeconds(60);
        store(ImageMetadata.deleted(imageId, BUCKET, PREFIX + imageId, OrderTokens.of(null, removed)));
        return removed;
    }

    /** Metadata of an image labeled at {@code when}, whose object is no longer in the bucket. */
    private void labeledEarlier(String imageId, Instant when) {
        ProbedImage image = new ProbedImage(imageId, BUCKET, PREFIX + imageId, false, "e1", 1024, ImageFormat.JPEG,
                OrderTokens.of(null, when));
        store(ImageMetadata.labeled(image, List.of(new Label("Cat", 99f, List.of("Animal"))), "3.0", new digiads.metadata.Moderation(List.of(), "7.0"), when));
    }

    private void store(ImageMetadata state) {
        dynamo.putItem(b -> b.tableName(TABLE).item(items.toItem(state)));
    }

    private Map<String, AttributeValue> item(String imageId) {
        return dynamo.getItem(b -> b.tableName(TABLE).key(items.key(imageId)).consistentRead(true)).item();
    }

    private static String encoded(String imageId) {
        return URLEncoder.encode(PREFIX + imageId, StandardCharsets.UTF_8);
    }
}
