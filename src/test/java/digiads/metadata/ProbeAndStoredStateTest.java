package digiads.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** Whichever read answers first, the result is the probe as the body with the stored state beside it. */
class ProbeAndStoredStateTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final ProbeAndStoredState strategy = new ProbeAndStoredState();
    private final ProbedImage probed = new ProbedImage("a.jpg", "b", "images/a.jpg", false, "e", 10, ImageFormat.JPEG, "T1");
    private final ImageMetadata stored = ImageMetadata.deleted("a.jpg", "b", "images/a.jpg", "T0");

    private Exchange probe() {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty("imageId", "a.jpg");
        exchange.getMessage().setBody(probed);
        return exchange;
    }

    private Exchange find() {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty("imageId", "a.jpg");
        exchange.setProperty("stored", stored);
        exchange.getMessage().setBody("the event, as the find branch got it");
        return exchange;
    }

    @Test
    void theProbeAnsweringFirst() {
        Exchange result = strategy.aggregate(strategy.aggregate(null, probe()), find());

        assertThat(result.getMessage().getBody()).isSameAs(probed);
        assertThat(result.getProperty("stored")).isSameAs(stored);
        assertThat(result.getProperty("imageId")).isEqualTo("a.jpg");
    }

    @Test
    void theReadAnsweringFirst() {
        Exchange result = strategy.aggregate(strategy.aggregate(null, find()), probe());

        assertThat(result.getMessage().getBody()).isSameAs(probed);
        assertThat(result.getProperty("stored")).isSameAs(stored);
    }

    @Test
    void aFailedReadOfTheStoredStateFailsTheJoin() {
        Exchange failed = find();
        failed.removeProperty("stored");
        failed.setException(new IllegalStateException("DynamoDB did not answer"));

        assertThat(strategy.aggregate(strategy.aggregate(null, probe()), failed).getException())
                .hasMessage("DynamoDB did not answer");
        assertThat(strategy.aggregate(strategy.aggregate(null, failed), probe()).getException())
                .hasMessage("DynamoDB did not answer");
    }

    @Test
    void nothingStoredLeavesNoStoredState() {
        Exchange nothing = find();
        nothing.removeProperty("stored");

        Exchange result = strategy.aggregate(strategy.aggregate(null, nothing), probe());

        assertThat(result.getMessage().getBody()).isSameAs(probed);
        assertThat(result.getProperty("stored")).isNull();
    }
}
