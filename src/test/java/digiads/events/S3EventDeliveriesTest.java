package digiads.events;

import static digiads.events.S3EventSamples.CREATED;
import static digiads.events.S3EventSamples.EB_CREATED;
import static digiads.events.S3EventSamples.EB_DELETED;
import static digiads.events.S3EventSamples.EB_EXPIRED;
import static digiads.events.S3EventSamples.TIME;
import static digiads.events.S3EventSamples.TOPIC;
import static digiads.events.S3EventSamples.lifecycleExpiration;
import static digiads.events.S3EventSamples.s3Event;
import static digiads.events.S3EventSamples.sns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import digiads.metadata.OrderTokens;
import org.junit.jupiter.api.Test;

/**
 * The other ways S3 events arrive: lifecycle expirations and delete markers, S3 notifications fanned
 * out through SNS (enveloped, or raw), and EventBridge events, directly or through SNS. The samples
 * ({@link S3EventSamples}) are AWS's documented ones with our bucket and keys.
 */
class S3EventDeliveriesTest {

    private final S3EventParser parser = new S3EventParser(new ObjectMapper(), new ImageKeys("digiads-images", "images/"));

    // --- removals S3 reports besides ObjectRemoved:Delete ---------------------------------------

    @Test
    void lifecycleExpirationsAreRemovals() {
        S3Notification deleted = parser.parse(lifecycleExpiration("LifecycleExpiration:Delete", TIME, "images/old.jpg",
                "\"size\":1024,\"eTag\":\"d41d8cd98f00b204e9800998ecf8427e\",\"sequencer\":\"0055AED6DCD90281E6\""));
        S3Notification marker = parser.parse(lifecycleExpiration("LifecycleExpiration:DeleteMarkerCreated", TIME,
                "images/old.jpg", "\"versionId\":\"mtB0cV.jejK63XkRNceanNMC.qXPWLeK\",\"sequencer\":\"0055AED6DCD90281E7\""));

        assertThat(deleted.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ImageEvent.Kind.REMOVED);
            assertThat(e.eventName()).isEqualTo("LifecycleExpiration:Delete");
            assertThat(e.imageId()).isEqualTo("old.jpg");
            assertThat(e.orderToken()).isEqualTo(OrderTokens.of("0055AED6DCD90281E6", null));
        });
        assertThat(marker.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ImageEvent.Kind.REMOVED);
            assertThat(e.eventName()).isEqualTo("LifecycleExpiration:DeleteMarkerCreated");
            assertThat(e.size()).isZero();
        });
    }

    @Test
    void aDeleteMarkerInAVersionedBucketIsARemoval() {
        S3Notification n = parser.parse(s3Event("2.1", "ObjectRemoved:DeleteMarkerCreated", TIME, "AIDAJDPLRKLG7UEXAMPLE",
                "images/a.jpg", "\"eTag\":\"d41d8cd98f00b204e9800998ecf8427e\",\"versionId\":\"1QW9g1Z99LUNbvaaYVpW9xDlOLU.qxgF\","
                        + "\"sequencer\":\"617f0837b476e463\""));

        assertThat(n.events()).singleElement().extracting(ImageEvent::kind).isEqualTo(ImageEvent.Kind.REMOVED);
    }

    @Test
    void anExpiredRestoredCopyAndATransitionAreNoRemovals() {
        assertThat(parser.parse(lifecycleExpiration("ObjectRestore:Delete", TIME, "images/a.jpg", "\"sequencer\":\"01\""))
                .events()).singleElement().extracting(ImageEvent::kind).isEqualTo(ImageEvent.Kind.OTHER);
        assertThat(parser.parse(lifecycleExpiration("LifecycleTransition", TIME, "images/a.jpg", "\"size\":1"))
                .events()).singleElement().extracting(ImageEvent::kind).isEqualTo(ImageEvent.Kind.OTHER);
    }

    @Test
    void anotherMajorEventVersionIsRefusedAnyMinorIsRead() {
        assertThat(parser.parse(s3Event("2.9", "ObjectCreated:Put", TIME, "p", "images/a.jpg", "\"size\":1,\"newField\":{\"x\":1}"))
                .events()).hasSize(1);
        assertThatThrownBy(() -> parser.parse(s3Event("3.0", "ObjectCreated:Put", TIME, "p", "images/a.jpg", "\"size\":1")))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("record 0 has eventVersion 3.0; this instance reads 2.x");
    }

    // --- SNS ---------------------------------------------------------------------------------------

    @Test
    void anSnsNotificationCarriesTheS3EventAsItsMessage() {
        S3Notification n = parser.parse(sns(CREATED));

        assertThat(n.acknowledgeOnly()).isFalse();
        assertThat(n.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ImageEvent.Kind.CREATED);
            assertThat(e.eventName()).isEqualTo("ObjectCreated:Put");
            assertThat(e.imageId()).isEqualTo("Happy Face.jpg");
            assertThat(e.size()).isEqualTo(1024);
            assertThat(e.eTag()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
            assertThat(e.sequencer()).isEqualTo("0055AED6DCD90281E5");
            assertThat(e.eventTime()).isEqualTo(TIME);
        });
        assertThat(parser.parse(sns(CREATED))).as("the same as delivered directly, or raw").isEqualTo(parser.parse(CREATED));
    }

    @Test
    void anSnsLifecycleExpirationIsARemoval() {
        S3Notification n = parser.parse(sns(lifecycleExpiration("LifecycleExpiration:Delete", TIME, "images/old.jpg",
                "\"size\":1024,\"eTag\":\"d41d8cd98f00b204e9800998ecf8427e\",\"sequencer\":\"0055AED6DCD90281E6\"")));

        assertThat(n.events()).singleElement().extracting(ImageEvent::kind).isEqualTo(ImageEvent.Kind.REMOVED);
    }

    @Test
    void snsConfirmationsAndTheTestEventThroughSnsAreAcknowledgedOnly() {
        String confirmation = S3EventSamples.SNS_SUBSCRIPTION_CONFIRMATION;
        String unsubscribed = confirmation.replace("SubscriptionConfirmation", "UnsubscribeConfirmation");

        assertThat(parser.parse(confirmation).nothingToDo())
                .startsWith("SNS subscription confirmation of topic " + TOPIC)
                .contains("Action=ConfirmSubscription");
        assertThat(parser.parse(unsubscribed).nothingToDo()).isEqualTo("SNS unsubscribe confirmation of topic " + TOPIC);
        assertThat(parser.parse(sns(S3EventSamples.TEST_EVENT)).nothingToDo())
                .isEqualTo("S3 test event for bucket digiads-images");
    }

    @Test
    void anSnsEnvelopeAroundGarbageIsDeadLetteredWithTheReason() {
        assertThatThrownBy(() -> parser.parse(sns("hello from SNS")))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageStartingWith("SNS notification of topic " + TOPIC + ": not JSON: ");
        assertThatThrownBy(() -> parser.parse(sns("{\"hello\":\"world\"}")))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("SNS notification of topic " + TOPIC + ": not an S3 event notification: no Records array");
        assertThatThrownBy(() -> parser.parse(sns(CREATED).replace("\"Message\"", "\"Mess\"")))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("SNS notification of topic " + TOPIC + " has no Message");
        assertThatThrownBy(() -> parser.parse(sns(CREATED).replace("\"Notification\"", "\"Gossip\"")))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("SNS message of unknown Type 'Gossip' from topic " + TOPIC);
        assertThatThrownBy(() -> parser.parse(sns(sns(CREATED))))
                .as("SNS does not wrap SNS").isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("no Records array");
    }

    // --- EventBridge -------------------------------------------------------------------------------

    @Test
    void anEventBridgeObjectCreatedIsACreationWithItsKeyAsItIs() {
        S3Notification n = parser.parse(EB_CREATED);

        assertThat(n.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ImageEvent.Kind.CREATED);
            assertThat(e.eventName()).isEqualTo("Object Created (PutObject)");
            assertThat(e.bucket()).isEqualTo("digiads-images");
            assertThat(e.key()).as("not URL-encoded, so not decoded").isEqualTo("images/red flower+1.jpg");
            assertThat(e.imageId()).isEqualTo("red flower+1.jpg");
            assertThat(e.size()).isEqualTo(5);
            assertThat(e.eTag()).isEqualTo("b1946ac92492d2347c6235b4d2611184");
            assertThat(e.sequencer()).isEqualTo("617f08299329d189");
            assertThat(e.eventTime()).isEqualTo(TIME);
            assertThat(e.orderToken()).isEqualTo(OrderTokens.of("617f08299329d189", null));
        });
    }

    @Test
    void eventBridgeDeletionsAndExpirationsAreRemovals() {
        assertThat(parser.parse(EB_DELETED).events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ImageEvent.Kind.REMOVED);
            assertThat(e.eventName()).isEqualTo("Object Deleted (DeleteObject)");
            assertThat(e.size()).isZero();
        });
        assertThat(parser.parse(EB_EXPIRED).events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ImageEvent.Kind.REMOVED);
            assertThat(e.eventName()).isEqualTo("Object Deleted (Lifecycle Expiration)");
            assertThat(e.orderToken()).isEqualTo(OrderTokens.of("617b398000000000", null));
        });
    }

    @Test
    void anEventBridgeEventWithoutASequencerIsOrderedByItsTime() {
        S3Notification n = parser.parse(EB_CREATED.replace(",\"sequencer\":\"617f08299329d189\"", ""));

        assertThat(n.events()).singleElement().extracting(ImageEvent::orderToken).isEqualTo(OrderTokens.of(null, TIME));
    }

    @Test
    void eventBridgeThroughSnsIsReadToo() {
        assertThat(parser.parse(sns(EB_EXPIRED))).isEqualTo(parser.parse(EB_EXPIRED));
    }

    @Test
    void otherEventBridgeEventsAreAcknowledgedOnly() {
        assertThat(parser.parse(S3EventSamples.EB_RESTORE_COMPLETED).nothingToDo())
                .isEqualTo("EventBridge event 'Object Restore Completed' from aws.s3 for images/a.jpg: changes no metadata");
        assertThat(parser.parse(S3EventSamples.EC2_STATE_CHANGE).nothingToDo())
                .isEqualTo("EventBridge event 'EC2 Instance State-change Notification' from aws.ec2: not an S3 event");
    }

    @Test
    void eventBridgeEventsOfOtherBucketsOrOutsideThePrefixAreLeftOut() {
        assertThat(parser.parse(EB_CREATED.replace("\"name\":\"digiads-images\"", "\"name\":\"other\"")).events()).isEmpty();
        assertThat(parser.parse(EB_CREATED.replace("images/red", "thumbnails/red")).events()).isEmpty();
    }

    @Test
    void aBrokenEventBridgeS3EventIsDeadLetteredWithTheReason() {
        assertThatThrownBy(() -> parser.parse(EB_CREATED.replace("\"key\"", "\"k\"")))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("EventBridge event 'Object Created' has no detail.object.key");
        assertThatThrownBy(() -> parser.parse(EB_DELETED.replace("\"name\":\"digiads-images\"", "\"name\":7")))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("EventBridge event 'Object Deleted' has no detail.bucket.name");
        assertThatThrownBy(() -> parser.parse(EB_CREATED.replace("2026-11-26T00:00:00Z", "last tuesday")))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("EventBridge event 'Object Created' has an invalid time: last tuesday");
        assertThatThrownBy(() -> parser.parse(EB_CREATED.replace("617f08299329d189", "not-hex")))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("EventBridge event 'Object Created': sequencer is not hexadecimal: not-hex");
    }
}
