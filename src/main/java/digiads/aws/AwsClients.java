package digiads.aws;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import digiads.DigiadsProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.RekognitionClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Every AWS client of the application, built once, here. Camel's aws2-* endpoints pick them up by
 * type (component autowiring), so no endpoint builds a client of its own.
 *
 * <p>All clients share one deliberately chosen HTTP client: the SDK's Apache (httpclient 4) client,
 * with explicit timeouts. The SDK's Apache5 client is excluded in the POM so it cannot be picked
 * by default against the httpclient5 that Spring Boot and camel-http manage.
 *
 * <p>Every client has time limits (digiads.aws.timeouts.*): the socket timeout alone would let a
 * call behind an endpoint that accepts connections and never answers wait for each attempt's socket
 * timeout, retries included, holding a REST request or a pipeline message for minutes. A call that
 * runs out of time fails with the SDK's ApiCallTimeoutException or ApiCallAttemptTimeoutException:
 * the REST API answers 503 ({@code ApiErrors}), the pipeline leaves the message for redelivery.
 */
@Configuration(proxyBeanMethods = false)
public class AwsClients {

    private final DigiadsProperties.Aws aws;
    private final DigiadsProperties.Aws.Timeouts timeouts;
    private final DigiadsProperties.Rekognition rekognition;

    public AwsClients(DigiadsProperties properties) {
        this.aws = properties.aws();
        this.timeouts = properties.aws().timeouts();
        this.rekognition = properties.rekognition();
    }

    @Bean
    QueueUrls queueUrls(@Value("${digiads.sqs.base-url}") String baseUrl,
                        @Value("${digiads.sqs.events-queue}") String events,
                        @Value("${digiads.sqs.events-dlq}") String eventsDlq,
                        @Value("${digiads.sqs.metadata-queue}") String metadata,
                        @Value("${digiads.sqs.metadata-dlq}") String metadataDlq) {
        return QueueUrls.of(baseUrl, events, eventsDlq, metadata, metadataDlq);
    }

    @Bean(destroyMethod = "close")
    public SdkHttpClient awsHttpClient() {
        return ApacheHttpClient.builder()
                .connectionTimeout(aws.connectTimeout())
                .socketTimeout(aws.socketTimeout())
                .maxConnections(aws.maxConnections())
                .build();
    }

    @Bean(destroyMethod = "close")
    S3Client s3Client(SdkHttpClient http) {
        // Emulators serve buckets by path, not by virtual host.
        return configure(S3Client.builder(), http, timeouts.apiCallAttempt(), timeouts.apiCall(),
                o -> o.addExecutionInterceptor(requestTimeouts()))
                .forcePathStyle(aws.endpoint().isPresent()).build();
    }

    /**
     * Presigned S3 requests (uploads straight to S3): the S3 client's region, credentials and endpoint,
     * path-style like it when there is an endpoint override. It signs locally and makes no calls.
     */
    @Bean(destroyMethod = "close")
    public S3Presigner s3Presigner(@Value("${digiads.aws.presign-endpoint:}") String presignEndpoint) {
        S3Presigner.Builder builder = S3Presigner.builder().region(Region.of(aws.region())).credentialsProvider(credentials())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(aws.endpoint().isPresent()).build());
        // the URLs go to browsers: an emulator's address as they reach it, when it differs from the app's (compose)
        if (presignEndpoint != null && !presignEndpoint.isBlank()) {
            builder.endpointOverride(java.net.URI.create(presignEndpoint.trim()));
        } else {
            aws.endpoint().ifPresent(builder::endpointOverride);
        }
        return builder.build();
    }

    /** The work queues' messages this instance holds, as the SQS client sees them; released at shutdown. */
    @Bean
    HeldMessages heldMessages(QueueUrls queues) {
        return new HeldMessages(List.of(queues.events(), queues.metadata()));
    }

    @Bean(destroyMethod = "close")
    SqsClient sqsClient(SdkHttpClient http, HeldMessages held) {
        return configure(SqsClient.builder(), http, timeouts.apiCallAttempt(), timeouts.apiCall(),
                o -> o.addExecutionInterceptor(requestTimeouts()).addExecutionInterceptor(held)).build();
    }

    /** Image state changes are published to the updates topic (Camel's aws2-sns endpoint) and subscribed to. */
    @Bean(destroyMethod = "close")
    SnsClient snsClient(SdkHttpClient http) {
        return configure(SnsClient.builder(), http, timeouts.apiCallAttempt(), timeouts.apiCall(), o -> { }).build();
    }

    @Bean(destroyMethod = "close")
    DynamoDbClient dynamoDbClient(SdkHttpClient http) {
        DynamoDbClientBuilder builder = configure(DynamoDbClient.builder(), http, timeouts.dynamodbApiCallAttempt(),
                timeouts.dynamodbApiCall(), o -> { });
        // its own endpoint when one is set (a DynamoDB-compatible server, the other services on the emulator)
        aws.dynamodbEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * DetectLabels and DetectModerationLabels. Throttling and 5xx answers are retried with exponential
     * backoff and full jitter; other errors are not. Its endpoint is {@code digiads.aws.rekognition-endpoint-override}
     * when set, else that of every client.
     */
    @Bean(destroyMethod = "close")
    public RekognitionClient rekognitionClient(SdkHttpClient http) {
        BackoffStrategy backoff = BackoffStrategy.exponentialDelay(rekognition.baseDelay(), rekognition.maxBackoff());
        RekognitionClientBuilder builder = configure(RekognitionClient.builder(), http,
                timeouts.rekognitionApiCallAttempt(), timeouts.rekognitionApiCall(),
                o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(rekognition.maxAttempts())
                        .backoffStrategy(backoff)
                        .throttlingBackoffStrategy(backoff)
                        .build()));
        // its own endpoint when one is set (the local stand-in that adds DetectModerationLabels to the emulator)
        aws.rekognitionEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private RequestTimeouts requestTimeouts() {
        return new RequestTimeouts(timeouts.apiCallAttempt(), timeouts.apiCall(), timeouts.s3Upload());
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
            B builder, SdkHttpClient http, Duration attempt, Duration call,
            Consumer<ClientOverrideConfiguration.Builder> more) {
        builder.region(Region.of(aws.region())).credentialsProvider(credentials()).httpClient(http)
                .overrideConfiguration(o -> {
                    o.apiCallAttemptTimeout(attempt).apiCallTimeout(call);
                    more.accept(o);
                });
        aws.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }

    private AwsCredentialsProvider credentials() {
        return aws.staticCredentials()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()))
                : DefaultCredentialsProvider.builder().build();
    }
}
