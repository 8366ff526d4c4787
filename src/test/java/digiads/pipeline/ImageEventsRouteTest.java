package digiads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import digiads.events.ImageEvent;
import digiads.events.S3EventSamples;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

class ImageEventsRouteTest extends RouteTestSupport {

    @EndpointInject("mock:direct:extract-metadata")
    MockEndpoint extract;
    @EndpointInject("mock:direct:delete-metadata")
    MockEndpoint delete;
    @EndpointInject("mock:events-dlq")
    MockEndpoint dlq;

    static String record(String eventName, String encodedKey) {
        return """
                {"eventTime":"2026-11-26T10:00:00.000Z","eventName":"%s",
                 "s3":{"bucket":{"name":"digiads-images"},"object":{"key":"%s","size":10,"eTag":"e"}}}
                """.formatted(eventName, encodedKey);
    }

    static String message(String... records) {
        return "{\"Records\":[" + String.join(",", records) + "]}";
    }

    @Test
    void routesEveryRecordByItsEventName() throws Exception {
        extract.expectedMessageCount(2);
        delete.expectedMessageCount(1);
        dlq.expectedMessageCount(0);

        producer.sendBody("direct:events", message(
                record("ObjectCreated:Put", "images/a.jpg"),
                record("ObjectRemoved:Delete", "images/b+c.jpg"),
                record("ObjectRestore:Post", "images/ignored.jpg"),
                record("ObjectCreated:Copy", "images/%C3%BC.png")));

        MockEndpoint.assertIsSatisfied(camel);
        assertThat(extract.getExchanges()).extracting(e -> e.getMessage().getBody(ImageEvent.class).imageId())
                .containsExactly("a.jpg", "ü.png");
        assertThat(delete.getExchanges().get(0).getMessage().getBody(ImageEvent.class).imageId()).isEqualTo("b c.jpg");
    }

    @Test
    void acknowledgesTheS3TestEvent() throws Exception {
        extract.expectedMessageCount(0);
        delete.expectedMessageCount(0);
        dlq.expectedMessageCount(0);

        Exchange done = producer.send("direct:events", e -> e.getMessage().setBody(
                "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"digiads-images\"}"));

        assertThat(done.getException()).isNull();
        MockEndpoint.assertIsSatisfied(camel);
    }

    @Test
    void routesLifecycleExpirationsDeleteMarkersAndEventsThroughSnsAndEventBridge() throws Exception {
        extract.expectedMessageCount(2);
        delete.expectedMessageCount(4);
        dlq.expectedMessageCount(0);

        producer.sendBody("direct:events", message(
                record("LifecycleExpiration:Delete", "images/expired.jpg"),
                record("LifecycleExpiration:DeleteMarkerCreated", "images/expired-v.jpg"),
                record("ObjectRemoved:DeleteMarkerCreated", "images/marked.jpg")));
        producer.sendBody("direct:events", S3EventSamples.sns(message(record("ObjectCreated:Put", "images/via+sns.jpg"))));
        producer.sendBody("direct:events", S3EventSamples.EB_CREATED);
        producer.sendBody("direct:events", S3EventSamples.sns(S3EventSamples.EB_EXPIRED));

        MockEndpoint.assertIsSatisfied(camel);
        assertThat(delete.getExchanges()).extracting(e -> e.getMessage().getBody(ImageEvent.class).imageId())
                .containsExactly("expired.jpg", "expired-v.jpg", "marked.jpg", "red flower+1.jpg");
        assertThat(extract.getExchanges()).extracting(e -> e.getMessage().getBody(ImageEvent.class).imageId())
                .containsExactly("via sns.jpg", "red flower+1.jpg");
    }

    @Test
    void acknowledgesSnsConfirmationsAndOtherEventBridgeEventsWithoutDeadLettering() throws Exception {
        extract.expectedMessageCount(0);
        delete.expectedMessageCount(0);
        dlq.expectedMessageCount(0);

        for (String body : new String[] {
                S3EventSamples.SNS_SUBSCRIPTION_CONFIRMATION,
                S3EventSamples.EC2_STATE_CHANGE,
                S3EventSamples.EB_CREATED.replace("Object Created", "Object Tags Added")}) {
            Exchange done = producer.send("direct:events", e -> e.getMessage().setBody(body));
            assertThat(done.getException()).isNull();
        }

        MockEndpoint.assertIsSatisfied(camel);
    }

    @Test
    void deadLettersWhatIsNoS3EventWithTheReasonAndAcknowledgesIt() throws Exception {
        dlq.expectedBodiesReceived("not json at all", "{\"Records\":\"nope\"}");
        extract.expectedMessageCount(0);

        Exchange first = producer.send("direct:events", e -> {
            e.getMessage().setBody("not json at all");
            e.getMessage().setHeader("CamelAwsSqsMessageId", "m-1");
        });
        Exchange second = producer.send("direct:events", e -> e.getMessage().setBody("{\"Records\":\"nope\"}"));

        MockEndpoint.assertIsSatisfied(camel);
        // handled: the consumer deletes the original message, which is now safe in the DLQ
        assertThat(first.getException()).isNull();
        assertThat(second.getException()).isNull();
        assertThat(dlq.getExchanges()).extracting(e -> e.getMessage().getHeader("DeadLetterReason", String.class))
                .containsExactly(
                        "not JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                        "not an S3 event notification: no Records array");
        // the id of the message it was, so that a redrive knows it when it comes back
        assertThat(dlq.getExchanges().get(0).getMessage().getHeader("DeadLetterSourceMessageId")).isEqualTo("m-1");
    }

    @Test
    void aFailingRecordFailsTheMessageSoItIsRedeliveredNotDeleted() throws Exception {
        extract.whenExchangeReceived(2, e -> {
            throw new IllegalStateException("Rekognition is down");
        });

        Exchange done = producer.send("direct:events", e -> e.getMessage().setBody(message(
                record("ObjectCreated:Put", "images/1.jpg"),
                record("ObjectCreated:Put", "images/2.jpg"),
                record("ObjectCreated:Put", "images/3.jpg"))));

        assertThat(done.isFailed()).isTrue();
        assertThat(done.getException()).hasRootCauseMessage("Rekognition is down");
        assertThat(extract.getReceivedCounter()).as("records after the failure wait for the redelivery").isEqualTo(2);
        assertThat(dlq.getReceivedCounter()).as("a transient failure is not dead-lettered by us").isZero();
    }
}
