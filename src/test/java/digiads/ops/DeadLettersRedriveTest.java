package digiads.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import digiads.local.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A redrive against moto's SQS with a consumer of its own that keeps failing one message: SQS itself
 * moves that message back to the dead-letter queue after maxReceiveCount receives, keeping its message
 * id. The redrive moves it once per call, however often it comes back while the call runs.
 */
class DeadLettersRedriveTest {

    private final String endpoint = MotoServer.shared().endpoint();
    private final SqsClient sqs = SqsClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create(endpoint))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    private final String name = "redrive-" + System.nanoTime();
    private final String dlq = sqs.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
    private final String queue = sqs.createQueue(b -> b.queueName(name).attributes(Map.of(
            QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + arn(dlq) + "\",\"maxReceiveCount\":\"2\"}")))
            .queueUrl();
    private final DeadLetters letters = new DeadLetters(sqs, digiads.aws.QueueUrls.of(endpoint + "/123456789012",
            name, name + "-dlq", name + "-unused", name + "-unused-dlq"), 1000, 3, Duration.ofMinutes(5));
    private final AtomicBoolean consuming = new AtomicBoolean(true);
    private final Thread consumer = new Thread(this::consume, "failing-consumer");

    @AfterEach
    void stop() throws InterruptedException {
        consuming.set(false);
        consumer.join();
        sqs.close();
    }

    /** Processes "good" messages; fails "bad" ones (never deletes them, and gives them back at once). */
    private void consume() {
        while (consuming.get()) {
            for (Message m : sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .visibilityTimeout(0)).messages()) {
                if (m.body().startsWith("good")) {
                    sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
                }
            }
        }
    }

    @Test
    void aMessageSqsMovesBackToTheDeadLetterQueueIsMovedOncePerCall() {
        consumer.start();
        for (String body : new String[] {"good 1", "good 2", "bad"}) {
            sqs.sendMessage(b -> b.queueUrl(dlq).messageBody(body));
        }

        Map<String, Object> first = letters.redrive(name + "-dlq");

        assertThat(first).containsEntry("moved", 3);
        awaitOnlyBadIn(dlq);

        Map<String, Object> second = letters.redrive(name + "-dlq");

        assertThat(second).containsEntry("moved", 1);
        awaitOnlyBadIn(dlq);
    }

    private void awaitOnlyBadIn(String queueUrl) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            return "1".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    && "0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        });
        Message bad = sqs.receiveMessage(b -> b.queueUrl(queueUrl).visibilityTimeout(0)).messages().get(0);
        assertThat(bad.body()).isEqualTo("bad");
    }

    private String arn(String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }
}
