package digiads.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import digiads.metadata.ImageFormat;
import digiads.metadata.ImageMetadata;
import digiads.metadata.Label;
import digiads.metadata.ProbedImage;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

class PipelineMetricsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    private final PipelineMetrics metrics = new PipelineMetrics(meters, breakers);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @BeforeEach
    void captureLog() {
        log.start();
        ((Logger) LoggerFactory.getLogger("digiads.images")).addAppender(log);
    }

    @AfterEach
    void release() {
        ((Logger) LoggerFactory.getLogger("digiads.images")).detachAppender(log);
    }

    private Exchange exchange() {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty("eventName", "ObjectCreated:Put");
        exchange.getMessage().setHeader("CamelAwsSqsMessageId", "msg-42");
        return exchange;
    }

    @Test
    void oneLinePerImageWithItsFieldsAndATimerByOutcome() {
        ProbedImage image = new ProbedImage("a.jpg", "b", "images/a.jpg", false, "e", 10, ImageFormat.JPEG, null);
        metrics.extracted(ImageMetadata.labeled(image, List.of(new Label("Dog", 90, List.of())), "3.0", new digiads.metadata.Moderation(List.of(), "7.0"), Instant.now()), exchange());
        metrics.extracted(ImageMetadata.rejected(image, "empty object", Instant.now()), exchange());
        metrics.deleted("a.jpg", exchange());

        assertThat(meters.get("digiads.images.processed").tag("outcome", "labeled").timer().count()).isEqualTo(1);
        assertThat(meters.get("digiads.images.processed").tag("outcome", "rejected").timer().count()).isEqualTo(1);
        assertThat(meters.get("digiads.images.processed").tag("outcome", "deleted").timer().count()).isEqualTo(1);
        assertThat(log.list).hasSize(3);
        ILoggingEvent first = log.list.get(0);
        assertThat(first.getFormattedMessage()).startsWith("image a.jpg ObjectCreated:Put -> LABELED in ").endsWith("(SQS message msg-42)");
        assertThat(first.getKeyValuePairs()).extracting(kv -> kv.key)
                .containsExactly("imageId", "event", "outcome", "durationMs", "sqsMessageId");
        assertThat(first.getKeyValuePairs()).extracting(kv -> kv.value).startsWith("a.jpg", "ObjectCreated:Put", "LABELED");
        assertThat(log.list.get(1).getFormattedMessage()).contains("REJECTED (empty object)");
    }

    @Test
    void deadLettersAreCountedByRoute() {
        Exchange exchange = exchange();
        exchange.getExchangeExtension().setFromRouteId("image-events");

        metrics.deadLettered("not JSON", exchange);

        assertThat(meters.get("digiads.dead.letters").tag("route", "image-events").counter().count()).isEqualTo(1);
        List<KeyValuePair> fields = log.list.get(0).getKeyValuePairs();
        assertThat(fields).extracting(kv -> kv.value).contains("not JSON", "msg-42");
    }

    @Test
    void theDealsCircuitBreakerIsPublished() {
        breakers.circuitBreaker("deals-api");

        assertThat(meters.find("resilience4j.circuitbreaker.state").tag("name", "deals-api").gauges()).isNotEmpty();
    }
}
