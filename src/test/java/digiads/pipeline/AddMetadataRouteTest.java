package digiads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void deadLettersMessagesThatAreNotMetadata() throws Exception {
        table.expectedMessageCount(0);
        dlq.expectedMessageCount(3);

        for (String body : new String[] {"garbage", "{\"imageId\":\"x\"}", MESSAGE.replace("\"schemaVersion\":1", "\"schemaVersion\":9")}) {
            Exchange done = producer.send("direct:metadata-in", e -> e.getMessage().setBody(body));
            assertThat(done.getException()).isNull();
        }

        MockEndpoint.assertIsSatisfied(camel);
        assertThat(dlq.getExchanges()).allSatisfy(e ->
                assertThat(e.getMessage().getHeader("DeadLetterReason", String.class)).startsWith("not a metadata message"));
        assertThat(dlq.getExchanges().get(2).getMessage().getHeader("DeadLetterReason", String.class))
                .contains("unknown metadata schemaVersion 9");
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
