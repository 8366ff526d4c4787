package digiads.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.Map;

import digiads.events.VisibilityBudget;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The shipped consumer settings against the worst case of their work, and what the check refuses. */
class ConsumerBudgetsTest {

    /** The SQS endpoints are created, never started: this client is never called. */
    private static final SqsClient SQS = SqsClient.builder().region(Region.US_EAST_1)
            .credentialsProvider(AnonymousCredentialsProvider.create()).build();

    private static void check(ShippedSettings settings) {
        new ConsumerBudgets(settings.digiads()).beforeApplicationStart(settings.camel(SQS));
    }

    private static VisibilityBudget budget(ShippedSettings settings, String endpointKey, Map<String, Duration> steps) {
        return ConsumerBudgets.budget(settings.camel(SQS).getEndpoint("{{" + endpointKey + "}}"), steps,
                new ConsumerBudgets(settings.digiads()).batched()).orElseThrow();
    }

    @Test
    void theShippedSettingsKeepEveryHeldMessageHidden() {
        ShippedSettings settings = ShippedSettings.load();
        ConsumerBudgets budgets = new ConsumerBudgets(settings.digiads());

        VisibilityBudget events = budget(settings, "digiads.endpoints.events-queue", budgets.eventSteps());
        assertThat(events.batch()).isEqualTo(1);
        assertThat(events.extended()).isTrue();
        assertThat(events.worstPerMessage()).isEqualTo(Duration.ofMillis(77500));
        assertThat(events.worstPerBatch()).as("and its delete").isEqualTo(Duration.ofMillis(87500));
        assertThat(events.visibilityTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(events.problems()).isEmpty();

        VisibilityBudget metadata = budget(settings, "digiads.endpoints.metadata-in", budgets.metadataSteps());
        assertThat(metadata.batch()).isEqualTo(10);
        assertThat(metadata.extended()).isTrue();
        assertThat(metadata.worstPerBatch()).as("10 × 5 s, then the last one's delete").isEqualTo(Duration.ofSeconds(60));
        assertThat(metadata.visibilityTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(metadata.problems()).isEmpty();

        check(settings);
    }

    @Test
    void tenEventsAReceiveAreRefusedAtStart() {
        ShippedSettings settings = ShippedSettings.load().with("digiads.sqs.events-max-messages-per-poll", "10");
        assertThatIllegalStateException().isThrownBy(() -> check(settings))
                .withMessageContaining("digiads-s3-events: a batch of 10 may be held 785.0 s")
                .withMessageContaining("longer than the visibility timeout of 90 s");
    }

    @Test
    void aConsumerThatDoesNotExtendIsRefusedAtStart() {
        ShippedSettings settings = ShippedSettings.load();
        settings.with("digiads.endpoints.metadata-in",
                settings.get("digiads.endpoints.metadata-in").replace("&extendMessageVisibility=true", ""));
        assertThatIllegalStateException().isThrownBy(() -> check(settings))
                .withMessageContaining("digiads-metadata: the consumer must extend");
    }

    @Test
    void aLongerTimeLimitNeedsALongerVisibilityTimeout() {
        ShippedSettings settings = ShippedSettings.load().with("digiads.rekognition.max-wait-for-permit", "40s");
        assertThatIllegalStateException().isThrownBy(() -> check(settings))
                .withMessageContaining("digiads-s3-events: a batch of 1 may be held 127.5 s");
    }

    @Test
    void endpointsThatAreNotSqsHoldNoMessages() {
        ShippedSettings settings = ShippedSettings.load()
                .with("digiads.endpoints.events-queue", "direct:events")
                .with("digiads.endpoints.metadata-in", "direct:metadata-in");
        check(settings);
        assertThat(ConsumerBudgets.budget(settings.camel(SQS).getEndpoint("direct:events"), Map.of(), Duration.ZERO)).isEmpty();
    }
}
