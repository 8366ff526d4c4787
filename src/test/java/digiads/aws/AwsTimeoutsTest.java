package digiads.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import digiads.DigiadsProperties;
import digiads.local.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The clients as the application builds them ({@link AwsClients}) end every call within its time
 * limits when the endpoint accepts connections and never answers (a {@link HungEndpoint}), while an
 * SQS long poll longer than those limits still works (against moto). The sockets' own timeout is a
 * minute here, so only the SDK's limits can end a call in time.
 */
class AwsTimeoutsTest {

    /** Generous for a loaded machine: a call must end within its limit plus this. */
    private static final Duration MARGIN = Duration.ofSeconds(5);
    private static final Duration ATTEMPT = Duration.ofSeconds(1);
    private static final Duration CALL = Duration.ofSeconds(2);
    private static final Duration DYNAMODB_CALL = Duration.ofMillis(1500);

    private final HungEndpoint hung = HungEndpoint.start();
    private SdkHttpClient http;

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
        hung.close();
    }

    private AwsClients clients(String endpoint) {
        return clients(endpoint, "");
    }

    private AwsClients clients(String endpoint, String dynamodbEndpoint) {
        DigiadsProperties.Aws aws = new DigiadsProperties.Aws("us-east-1", endpoint, "", dynamodbEndpoint, "test", "test",
                Duration.ofSeconds(2), Duration.ofMinutes(1), 10, new DigiadsProperties.Aws.Timeouts(ATTEMPT, CALL,
                Duration.ofMillis(500), DYNAMODB_CALL, ATTEMPT, CALL, CALL));
        AwsClients clients = new AwsClients(new DigiadsProperties(aws, null, new DigiadsProperties.Rekognition(10, 70,
                1, 5, Duration.ofSeconds(1), 3, Duration.ofMillis(10), Duration.ofMillis(50), 50), null, null, null, null));
        http = clients.awsHttpClient();
        return clients;
    }

    @Test
    void everyCallBehindAnEndpointThatNeverAnswersEndsWithinItsLimit() {
        AwsClients clients = clients(hung.url());
        DynamoDbClient dynamo = clients.dynamoDbClient(http);
        S3Client s3 = clients.s3Client(http);
        SqsClient sqs = clients.sqsClient(http, new HeldMessages(List.of()));

        assertEndsInTime(DYNAMODB_CALL, () -> dynamo.getItem(b -> b.tableName("t").key(Map.of("imageId",
                AttributeValue.fromS("a.jpg")))));
        assertEndsInTime(CALL, () -> s3.headObject(b -> b.bucket("b").key("images/a.jpg")));
        assertEndsInTime(CALL, () -> s3.putObject(b -> b.bucket("b").key("images/a.jpg"), RequestBody.fromString("x")));
        assertEndsInTime(CALL, () -> sqs.sendMessage(b -> b.queueUrl(hung.url() + "/123456789012/q").messageBody("m")));
        // a receive waits up to its wait time on top
        assertEndsInTime(CALL.plusSeconds(1), () -> sqs.receiveMessage(b -> b.queueUrl(hung.url() + "/123456789012/q")
                .waitTimeSeconds(1)));
        assertEndsInTime(CALL, () -> clients.rekognitionClient(http).detectLabels(b -> b.image(i -> i.s3Object(
                o -> o.bucket("b").name("images/a.jpg")))));
        assertThat(hung.connections()).as("the calls did reach the hung endpoint").isPositive();
    }

    @Test
    void aLongPollLongerThanTheCallLimitStillWorks() {
        SqsClient sqs = clients(MotoServer.shared().endpoint()).sqsClient(http, new HeldMessages(List.of()));
        String queue = sqs.createQueue(b -> b.queueName("long-poll-" + System.nanoTime())).queueUrl();

        // waits 3 s on an empty queue: longer than the attempt (1 s) and call (2 s) limits
        List<Message> none = sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(3)).messages();
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("hello"));
        List<Message> one = sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(3)).messages();

        assertThat(none).isEmpty();
        assertThat(one).extracting(Message::body).containsExactly("hello");
    }

    @Test
    void dynamoDbGoesToItsOwnEndpointWhenOneIsSetAndTheOtherServicesDoNot() {
        AwsClients clients = clients(hung.url(), MotoServer.shared().endpoint());
        DynamoDbClient dynamo = clients.dynamoDbClient(http);
        String table = "own-endpoint-" + System.nanoTime();

        // on moto, not on the hung endpoint every other client goes to
        dynamo.createTable(b -> b.tableName(table).billingMode("PAY_PER_REQUEST")
                .keySchema(k -> k.attributeName("imageId").keyType("HASH"))
                .attributeDefinitions(a -> a.attributeName("imageId").attributeType("S")));
        assertThat(dynamo.listTables().tableNames()).contains(table);
        assertEndsInTime(CALL, () -> clients.sqsClient(http, new HeldMessages(List.of()))
                .sendMessage(b -> b.queueUrl(hung.url() + "/123456789012/q")
                .messageBody("m")));
        assertThat(hung.connections()).as("SQS went to the endpoint of every client").isPositive();
    }

    /** The call fails with the SDK's timeout before its limit plus the margin (it is not waited for beyond that). */
    private static void assertEndsInTime(Duration limit, Runnable call) {
        assertTimeoutPreemptively(limit.plus(MARGIN), () -> assertThatThrownBy(call::run).satisfies(e -> assertThat(e)
                .isInstanceOfAny(ApiCallTimeoutException.class, ApiCallAttemptTimeoutException.class)));
    }
}
