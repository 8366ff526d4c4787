package digiads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import digiads.metadata.ImageMetadata;
import digiads.metadata.MetadataItemMapper;
import digiads.metadata.Label;
import digiads.metadata.OlderStateException;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class AddMetadataRouteTest extends RouteTestSupport {

    @EndpointInject("mock:state-writes")
    MockEndpoint writes;
    @EndpointInject("mock:metadata-dlq")
    MockEndpoint dlq;
    @Autowired
    MetadataItemMapper mapper;

    static final String MESSAGE = """
            {"schemaVersion":1,"imageId":"a/b c.jpg","bucket":"digiads-images","key":"images/a/b c.jpg",
             "eTag":"e1","size":2048,"contentType":"image/jpeg","status":"LABELED",
             "labels":[{"name":"Dog","confidence":80.5,"parents":["Animal"]},{"name":"Beach","confidence":99.0,"parents":[]}],
             "labelModelVersion":"3.0","extractedAt":"2026-11-26T10:00:00Z"}
            """;

    @Test
    void storesTheStateWithOneWrite() throws Exception {
        writes.expectedMessageCount(1);

        producer.sendBody("direct:metadata-in", MESSAGE);

        writes.assertIsSatisfied();
        ImageMetadata state = writes.getExchanges().get(0).getMessage().getBody(ImageMetadata.class);
        assertThat(state.imageId()).isEqualTo("a/b c.jpg");
        assertThat(state.labels()).extracting(Label::name).containsExactly("Beach", "Dog");
    }

    @Test
    void anOlderStateIsLoggedNotAnError() {
        writes.whenAnyExchangeReceived(e -> {
            throw new OlderStateException("image 'a/b c.jpg' has a newer state than T1");
        });

        Exchange done = producer.send("direct:metadata-in", e -> e.getMessage().setBody(MESSAGE));

        assertThat(done.isFailed()).as("acknowledged: a newer state is stored").isFalse();
        assertThat(writes.getReceivedCounter()).as("one write, no second try").isEqualTo(1);
        assertThat(dlq.getReceivedCounter()).isZero();
    }

    /** What the next release might send: a newer minor version with fields this one does not know. */
    static final String NEWER_MINOR = MESSAGE
            .replace("\"schemaVersion\":1,", "\"schemaVersion\":1,\"schemaMinor\":3,")
            .replace("\"parents\":[\"Animal\"]}", "\"parents\":[\"Animal\"],\"boundingBoxes\":[{\"left\":0.1,\"top\":0.2}]}")
            .replace("\"labelModelVersion\":\"3.0\",",
                    "\"labelModelVersion\":\"3.0\",\"dominantColors\":[\"#ff8800\",\"#003366\"],"
                            + "\"moderation\":{\"safe\":true,\"score\":0.5,\"tags\":null},\"expiresAt\":1,");

    @Test
    void storesAMessageOfANewerMinorVersionAndKeepsTheFieldsItDoesNotKnow() throws Exception {
        writes.expectedMessageCount(1);
        dlq.expectedMessageCount(0);

        Exchange done = producer.send("direct:metadata-in", e -> e.getMessage().setBody(NEWER_MINOR));

        MockEndpoint.assertIsSatisfied(camel);
        assertThat(done.getException()).isNull();
        // the item the one write puts: the state with the fields of the message this instance does not know
        Exchange written = writes.getExchanges().get(0);
        @SuppressWarnings("unchecked")
        Map<String, AttributeValue> item = mapper.putIfNotNewer("digiads-metadata",
                written.getMessage().getBody(ImageMetadata.class),
                written.getProperty(MetadataItemMapper.UNKNOWN_FIELDS, Map.class)).item();
        assertThat(item.get("schemaVersion").n()).isEqualTo("1");
        assertThat(item.get("schemaMinor").n()).isEqualTo("3");
        assertThat(item.get("status").s()).isEqualTo("LABELED");
        assertThat(item.get("labels").l()).extracting(l -> l.m().get("name").s()).containsExactly("Beach", "Dog");
        assertThat(item.get("dominantColors")).isEqualTo(AttributeValue.fromL(List.of(
                AttributeValue.fromS("#ff8800"), AttributeValue.fromS("#003366"))));
        assertThat(item.get("moderation")).isEqualTo(AttributeValue.fromM(Map.of("safe", AttributeValue.fromBool(true),
                "score", AttributeValue.fromN("0.5"), "tags", AttributeValue.fromNul(true))));
        assertThat(item).as("never taken from a message: only tombstones expire").doesNotContainKey("expiresAt");
    }

    @Test
    void deadLettersANewerMajorVersionWithAClearReason() throws Exception {
        writes.expectedMessageCount(0);
        dlq.expectedMessageCount(1);

        Exchange done = producer.send("direct:metadata-in", e -> e.getMessage().setBody(
                NEWER_MINOR.replace("\"schemaVersion\":1,", "\"schemaVersion\":2,")));

        MockEndpoint.assertIsSatisfied(camel);
        assertThat(done.getException()).isNull();
        assertThat(dlq.getExchanges().get(0).getMessage().getHeader("DeadLetterReason", String.class))
                .isEqualTo("metadata schemaVersion 2 is newer than this instance reads (1): written by a newer "
                        + "release; redrive it once instances of that release consume the queue");
    }

    @Test
    void deadLettersMessagesThatAreNotMetadata() throws Exception {
        writes.expectedMessageCount(0);
        dlq.expectedMessageCount(3);

        for (String body : new String[] {"garbage", "{\"imageId\":\"x\"}", MESSAGE.replace("\"schemaVersion\":1", "\"schemaVersion\":0")}) {
            Exchange done = producer.send("direct:metadata-in", e -> {
                e.getMessage().setBody(body);
                e.getMessage().setHeader("CamelAwsSqsMessageId", "m-" + body.length());
            });
            assertThat(done.getException()).isNull();
        }

        MockEndpoint.assertIsSatisfied(camel);
        assertThat(dlq.getExchanges()).extracting(e -> e.getMessage().getHeader("DeadLetterReason", String.class))
                .allSatisfy(reason -> assertThat(reason).startsWith("not a metadata message"))
                .contains("not a metadata message: no schemaVersion", "not a metadata message: schemaVersion 0 is no version");
        assertThat(dlq.getExchanges().get(0).getMessage().getHeader("DeadLetterSourceMessageId"))
                .isEqualTo("m-" + "garbage".length());
    }

    @Test
    void aFailedWriteFailsTheExchangeSoTheMessageIsRedelivered() {
        writes.whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("DynamoDB throttled");
        });

        Exchange done = producer.send("direct:metadata-in", e -> e.getMessage().setBody(MESSAGE));

        assertThat(done.isFailed()).isTrue();
        assertThat(dlq.getReceivedCounter()).isZero();
    }
}
