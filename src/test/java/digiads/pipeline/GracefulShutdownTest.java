package digiads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;

/** Stopping the application lets an image that is being processed finish, and takes no new work. */
@DirtiesContext
class GracefulShutdownTest extends RouteTestSupport {

    @EndpointInject("mock:direct:extract-metadata")
    MockEndpoint extract;

    @Test
    void inFlightExchangesFinishBeforeTheContextStops() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        extract.whenAnyExchangeReceived(e -> {
            started.countDown();
            Thread.sleep(1500); // a slow Rekognition call
            finished.set(true);
        });

        CompletableFuture<Exchange> inFlight = producer.asyncSend("direct:events", e -> e.getMessage().setBody(
                ImageEventsRouteTest.message(ImageEventsRouteTest.record("ObjectCreated:Put", "images/slow.jpg"))));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        camel.stop();

        Exchange done = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(done.getException()).as("the in-flight image completed, it was not cut off").isNull();
        assertThat(finished).isTrue();
        assertThatThrownBy(() -> producer.sendBody("direct:events", "{}")).as("no new work after shutdown");
    }
}
