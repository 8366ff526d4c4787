package digiads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.apache.camel.component.aws2.ddb.Ddb2Operations;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class AddMetadataRouteTest extends RouteTestSupport {

    @EndpointInject("mock:metadata-table")
    MockEndpoint table;
    @EndpointInject("mock:metadata-dlq")
    MockEndpoint dlq;

    static final String MESSAGE = """
            {"schemaVersion":1,"imageId":"a/b c.jpg","bucket":"digiads-images","key":"images/a/b c.jpg",
             "eTag":"e1","size":2048,"contentType":"image/jpeg","status":"LABELED",
             "labels":[{"name":"Dog","confidence":80.5,"parents":["Animal"]},{"name":"Beach","confidence":99.0,"parents":[]}],
             "labelModelVersion":"3.0","extractedAt":"2026-11-26T10:00:00Z"}
            """;

    @Test
    void putsTheItem() throws Exception {
        table.expectedMessageCount(1);
        table.expectedHeaderReceived(Ddb2Constants.OPERATION, Ddb2Operations.PutItem);

        producer.sendBody("direct:metadata-in", MESSAGE);

        table.assertIsSatisfied();
        @SuppressWarnings("unchecked")
        Map<String, AttributeValue> item = table.getExchanges().get(0).getMessage().getHeader(Ddb2Constants.ITEM, Map.class);
        assertThat(item.get("imageId").s()).isEqualTo("a/b c.jpg");
        assertThat(item.get("labels").l()).extracting(l -> l.m().get("name").s()).containsExactly("Beach", "Dog");
        assertThat(item).containsKey("updatedAt");
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
        table.expectedMessageCount(1);
        dlq.expectedMessageCount(0);

        Exchange done = producer.send("direct:metadata-in", e -> e.getMessage().setBody(NEWER_MINOR));

        MockEndpoint.assertIsSatisfied(camel);
        assertThat(done.getException()).isNull();
        @SuppressWarnings("unchecked")
        Map<String, AttributeValue> item = table.getExchanges().get(0).getMessage().getHeader(Ddb2Constants.ITEM, Map.class);
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
        table.expectedMessageCount(0);
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
        table.expectedMessageCount(0);
        dlq.expectedMessageCount(3);

        for (String body : new String[] {"garbage", "{\"imageId\":\"x\"}", MESSAGE.replace("\"schemaVersion\":1", "\"schemaVersion\":0")}) {
            Exchange done = producer.send("direct:metadata-in", e -> e.getMessage().setBody(body));
            assertThat(done.getException()).isNull();
        }

        MockEndpoint.assertIsSatisfied(camel);
        assertThat(dlq.getExchanges()).extracting(e -> e.getMessage().getHeader("DeadLetterReason", String.class))
                .allSatisfy(reason -> assertThat(reason).startsWith("not a metadata message"))
                .contains("not a metadata message: no schemaVersion", "not a metadata message: schemaVersion 0 is no version");
    }

    @Test
    void aFailedWriteFailsTheExchangeSoTheMessageIsRedelivered() {
        table.whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("DynamoDB throttled");
        });

        Exchange done = producer.send("direct:metadata-in", e -> e.getMessage().setBody(MESSAGE));

        assertThat(done.isFailed()).isTrue();
        assertThat(dlq.getReceivedCounter()).isZero();
    }
}
