package digiads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
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
        CountDownLatch stopping = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        extract.whenAnyExchangeReceived(e -> {
            started.countDown();
            // a slow Rekognition call: still running when the context begins to stop
            assertThat(stopping.await(10, TimeUnit.SECONDS)).as("the context began to stop").isTrue();
            finished.set(true);
        });

        CompletableFuture<Exchange> inFlight = producer.asyncSend("direct:events", e -> e.getMessage().setBody(
                ImageEventsRouteTest.message(ImageEventsRouteTest.record("ObjectCreated:Put", "images/slow.jpg"))));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(camel::isStopping);
            stopping.countDown();
        });
        camel.stop();
        watcher.get(10, TimeUnit.SECONDS);

        Exchange done = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(done.getException()).as("the in-flight image completed, it was not cut off").isNull();
        assertThat(finished).isTrue();
        assertThatThrownBy(() -> producer.sendBody("direct:events", "{}")).as("no new work after shutdown");
    }
}
