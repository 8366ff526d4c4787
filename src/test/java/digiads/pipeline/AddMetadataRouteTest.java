package digiads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import digiads.metadata.ImageMetadata;
import digiads.metadata.Label;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

class AddMetadataRouteTest extends RouteTestSupport {

    @EndpointInject("mock:state-writes")
    MockEndpoint writes;
    @EndpointInject("mock:metadata-dlq")
    MockEndpoint dlq;

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
    void anOlderStateRefusedByTheConditionIsLoggedNotAnError() {
        writes.whenAnyExchangeReceived(e -> {
            throw ConditionalCheckFailedException.builder().message("The conditional request failed").build();
        });

        Exchange done = producer.send("direct:metadata-in", e -> e.getMessage().setBody(MESSAGE));

        assertThat(done.isFailed()).as("acknowledged: a newer state is stored").isFalse();
        assertThat(writes.getReceivedCounter()).as("one write, no second try").isEqualTo(1);
        assertThat(dlq.getReceivedCounter()).isZero();
    }

    @Test
    void deadLettersMessagesThatAreNotMetadata() throws Exception {
        writes.expectedMessageCount(0);
        dlq.expectedMessageCount(3);

        for (String body : new String[] {"garbage", "{\"imageId\":\"x\"}", MESSAGE.replace("\"schemaVersion\":1", "\"schemaVersion\":9")}) {
            Exchange done = producer.send("direct:metadata-in", e -> {
                e.getMessage().setBody(body);
                e.getMessage().setHeader("CamelAwsSqsMessageId", "m-" + body.length());
            });
            assertThat(done.getException()).isNull();
        }

        MockEndpoint.assertIsSatisfied(camel);
        assertThat(dlq.getExchanges()).allSatisfy(e ->
                assertThat(e.getMessage().getHeader("DeadLetterReason", String.class)).startsWith("not a metadata message"));
        assertThat(dlq.getExchanges().get(2).getMessage().getHeader("DeadLetterReason", String.class))
                .contains("unknown metadata schemaVersion 9");
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
