package digiads.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import digiads.local.MotoServer;
import org.junit.jupiter.api.Test;
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
            Health health = new AwsHealth().sqs(sqs, nothingListens + "/123456789012", "events", "metadata").health();

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
            Health health = new AwsHealth().dynamodb(dynamo, "digiads-metadata").health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("digiads-metadata").toString())
                    .containsAnyOf("Unable to execute HTTP request", "did not complete before the specified timeout");
        }
    }
}
