package digiads.live;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;

/**
 * The pieces of live updates: this instance's {@link StreamHub} with the executor that writes to
 * streams and the heartbeat that keeps idle ones open, and the pool that publishes state changes.
 */
@Configuration(proxyBeanMethods = false)
public class LiveConfig {

    /** The route that consumes this instance's updates queue. */
    public static final String CONSUMER_ROUTE = "image-updates";

    /**
     * {@code publish-threads} publish; at most {@code publish-backlog} changes wait, further ones are dropped and
     * counted (an SNS that does not answer must neither pile up memory nor hold up the pipeline): they
     * are hints, readers read the state.
     */
    @Bean(destroyMethod = "close")
    PublishPool updatesPublishPool(LiveProperties live, MeterRegistry registry) {
        Counter dropped = Counter.builder("digiads.updates.dropped")
                .description("Image state changes not published: the publish backlog was full").register(registry);
        AtomicInteger n = new AtomicInteger();
        int threads = live.updates().publishThreads();
        return new PublishPool(new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(live.updates().publishBacklog()),
                r -> daemon(r, "updates-publish-" + n.incrementAndGet()),
                (task, pool) -> dropped.increment()));
    }

    /**
     * The pool state changes are published on (not an Executor bean: Spring Boot's own task executor,
     * which the REST routes run on, backs off when one exists).
     */
    public record PublishPool(ExecutorService executor) implements AutoCloseable {
        @Override
        public void close() {
            executor.shutdown();
        }
    }

    /** The threads that write to streams (not a bean, for the same reason). */
    record StreamSender(ExecutorService executor) implements AutoCloseable {
        @Override
        public void close() {
            executor.shutdownNow();
        }
    }

    @Bean(destroyMethod = "close")
    StreamSender streamSender() {
        AtomicInteger n = new AtomicInteger();
        return new StreamSender(Executors.newFixedThreadPool(4, r -> daemon(r, "stream-send-" + n.incrementAndGet())));
    }

    @Bean
    StreamHub streamHub(LiveProperties live, StreamSender streamSender, MeterRegistry registry,
                        @Value("${digiads.instance-id}") String instanceId) {
        String epoch = instanceId + "." + Long.toString(System.currentTimeMillis(), 36);
        StreamHub hub = StreamHub.of(epoch, live.streams(), streamSender.executor());
        Gauge.builder("digiads.streams.open", hub, StreamHub::openStreams)
                .description("Open event streams (SSE) of this instance").register(registry);
        Gauge.builder("digiads.streams.slow.closed", hub, StreamHub::slowClientsDropped)
                .description("Streams closed because their client did not keep up").register(registry);
        return hub;
    }

    @Bean(destroyMethod = "close")
    StreamSender streamHeartbeat(StreamHub hub, LiveProperties live) {
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "stream-heartbeat"));
        long every = live.streams().heartbeat().toMillis();
        heartbeat.scheduleAtFixedRate(hub::heartbeat, every, every, TimeUnit.MILLISECONDS);
        return new StreamSender(heartbeat);
    }

    /**
     * On shutdown the streams end first (their browsers reconnect elsewhere), so that a graceful
     * shutdown does not wait for them, and no new one opens.
     */
    @Bean
    ApplicationListener<ContextClosedEvent> closeStreamsOnShutdown(StreamHub hub, ApplicationContext context) {
        return event -> {
            if (event.getApplicationContext() == context) {
                hub.shutdown();
            }
        };
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }
}
