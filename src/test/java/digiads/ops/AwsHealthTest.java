package digiads.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import digiads.local.MotoServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Unreachable AWS: the readiness indicators turn DOWN with the reason, within their time limit. */
class AwsHealthTest {

    private final URI nothingListens = URI.create("http://127.0.0.1:" + MotoServer.freePort());

    @Test
    void anUnreachableQueueIsDownWithTheReason() {
        try (SqsClient sqs = SqsClient.builder().region(Region.US_EAST_1).endpointOverride(nothingListens)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
            Health health = new AwsHealth(Duration.ofSeconds(5)).sqs(sqs, digiads.aws.QueueUrls.of(nothingListens + "/123456789012", "events", "events-dlq", "metadata", "metadata-dlq")).health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsKey(nothingListens + "/123456789012/events");
            assertThat(health.getDetails().values().iterator().next().toString())
                    .containsAnyOf("Unable to execute HTTP request", "did not complete before the specified timeout");
        }
    }

    @Test
    void anUnreachableTableIsDownWithTheReason() {
        try (DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.US_EAST_1).endpointOverride(nothingListens)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
            Health health = new AwsHealth(Duration.ofSeconds(5)).dynamodb(dynamo, "digiads-metadata").health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("digiads-metadata").toString())
                    .containsAnyOf("Unable to execute HTTP request", "did not complete before the specified timeout");
        }
    }

    @Test
    void awsIsAskedAtMostOncePerIntervalHoweverManyAsk() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicLong now = new AtomicLong();
        HealthIndicator readiness = AwsHealth.cached(Duration.ofSeconds(5), now::get, () -> {
            calls.incrementAndGet();
            return Health.up().build();
        });

        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var answers = pool.invokeAll(java.util.Collections.nCopies(50, (java.util.concurrent.Callable<Health>) readiness::health));
            for (var answer : answers) {
                assertThat(answer.get().getStatus()).isEqualTo(Status.UP);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(calls).hasValue(1);

        now.addAndGet(Duration.ofSeconds(4).toNanos());
        readiness.health();
        assertThat(calls).as("within the interval").hasValue(1);

        now.addAndGet(Duration.ofSeconds(2).toNanos());
        readiness.health();
        assertThat(calls).as("after the interval").hasValue(2);
    }
}
