package digiads.ops;

import java.time.Duration;
import java.util.Locale;

import digiads.metadata.ImageMetadata;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What happened to each image, counted and logged once: one line per processed image with its id,
 * the S3 event, the outcome, the processing time and the SQS message id (a field of its own in
 * structured logs), and the Prometheus series {@code digiads_images_processed_seconds{outcome}} and
 * {@code digiads_dead_letters_total{queue}}. Also publishes the Deals circuit breaker's state and calls.
 */
@Component
public class PipelineMetrics {

    private static final Logger LOG = LoggerFactory.getLogger("digiads.images");

    private final MeterRegistry registry;

    public PipelineMetrics(MeterRegistry registry, CircuitBreakerRegistry circuitBreakers) {
        this.registry = registry;
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(circuitBreakers).bindTo(registry);
    }

    /** extract-metadata: the image was labeled or rejected. */
    public void extracted(ImageMetadata metadata, Exchange exchange) {
        processed(metadata.imageId(), metadata.status().name(), metadata.reason(), exchange);
    }

    /** extract-metadata: the object was gone before it could be labeled. */
    public void gone(@ExchangeProperty("imageId") String imageId, Exchange exchange) {
        processed(imageId, "GONE", "object no longer exists", exchange);
    }

    /** delete-metadata: the metadata of a removed object was deleted. */
    public void deleted(@ExchangeProperty("imageId") String imageId, Exchange exchange) {
        processed(imageId, "DELETED", null, exchange);
    }

    /** delete-metadata: the object is there again (re-uploaded), so its ObjectCreated decides, not this removal. */
    public void superseded(@ExchangeProperty("imageId") String imageId, Exchange exchange) {
        processed(imageId, "SUPERSEDED", "object exists again", exchange);
    }

    /** A message was sent to a dead-letter queue. */
    public void deadLettered(@Header("DeadLetterReason") String reason, Exchange exchange) {
        String route = exchange.getFromRouteId();
        Counter.builder("digiads.dead.letters").description("Messages sent to a dead-letter queue by a route")
                .tag("route", String.valueOf(route)).register(registry).increment();
        LOG.atWarn().addKeyValue("route", route).addKeyValue("sqsMessageId", messageId(exchange))
                .addKeyValue("reason", reason)
                .log("dead-lettered message {} from {}: {}", messageId(exchange), route, reason);
    }

    private void processed(String imageId, String outcome, String reason, Exchange exchange) {
        Duration took = Duration.ofMillis(exchange.getClock().elapsed());
        Timer.builder("digiads.images.processed").description("Images through the pipeline, by outcome")
                .tag("outcome", outcome.toLowerCase(Locale.ROOT)).register(registry).record(took);
        String event = exchange.getProperty("eventName", String.class);
        LOG.atInfo().addKeyValue("imageId", imageId).addKeyValue("event", event).addKeyValue("outcome", outcome)
                .addKeyValue("durationMs", took.toMillis()).addKeyValue("sqsMessageId", messageId(exchange))
                .log("image {} {} -> {}{} in {} ms (SQS message {})", imageId, event, outcome,
                        reason == null ? "" : " (" + reason + ")", took.toMillis(), messageId(exchange));
    }

    private static String messageId(Exchange exchange) {
        return exchange.getMessage().getHeader("CamelAwsSqsMessageId", String.class);
    }
}
