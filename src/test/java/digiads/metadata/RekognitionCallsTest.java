package digiads.metadata;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import digiads.DigiadsProperties;
import digiads.aws.AwsClients;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.AccessDeniedException;

/**
 * The Rekognition client as the application builds it, over HTTP against a stand-in that answers
 * the way Rekognition does: throttling and 5xx are retried with backoff, an image Rekognition calls
 * unusable is REJECTED without a retry, and other errors fail (the message is redelivered later).
 */
class RekognitionCallsTest {

    private static final String LABELS = """
            {"Labels":[{"Name":"Dog","Confidence":97.5,"Parents":[{"Name":"Animal"}]},{"Name":"Grass","Confidence":80.1,"Parents":[]}],
             "LabelModelVersion":"3.0"}""";

    private final WireMockServer rekognition = new WireMockServer(options().dynamicPort());
    private SdkHttpClient http;
    private RekognitionClient client;
    private MetadataExtractor extractor;
    private final io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    private final ProbedImage jpeg = new ProbedImage("dog.jpg", "digiads-images", "images/dog.jpg", false, "e1", 2048,
            ImageFormat.JPEG, "T1");

    @BeforeEach
    void start() {
        rekognition.start();
        DigiadsProperties.Rekognition settings = new DigiadsProperties.Rekognition(10, 70, 15 * 1024 * 1024, 5,
                Duration.ofSeconds(5), 4, Duration.ofMillis(10), Duration.ofMillis(50));
        DigiadsProperties properties = new DigiadsProperties(
                new DigiadsProperties.Aws("us-east-1", rekognition.baseUrl(), "test", "test", Duration.ofSeconds(2),
                        Duration.ofSeconds(5), 10, new DigiadsProperties.Aws.Timeouts(Duration.ofSeconds(2),
                        Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
                        Duration.ofSeconds(10), Duration.ofSeconds(30))),
                new DigiadsProperties.S3("digiads-images", "images/"), settings, new DigiadsProperties.Upload(1, 1, Duration.ofMinutes(5)), null, null);
        AwsClients clients = new AwsClients(properties);
        http = clients.awsHttpClient();
        client = clients.rekognitionClient(http);
        RateLimiter limiter = RateLimiter.of("test", RateLimiterConfig.custom().limitForPeriod(100)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofSeconds(5)).build());
        extractor = new MetadataExtractor(client, settings, limiter, meters, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        client.close();
        http.close();
        rekognition.stop();
    }

    private static ResponseDefinitionBuilder error(int status, String type) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withHeader("x-amzn-RequestId", "r-1").withBody("{\"__type\":\"" + type + "\",\"Message\":\"" + type + "\"}");
    }

    private static ResponseDefinitionBuilder labels() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(LABELS);
    }

    private void answerInTurn(ResponseDefinitionBuilder... answers) {
        for (int i = 0; i < answers.length; i++) {
            String state = i == 0 ? Scenario.STARTED : "call-" + i;
            rekognition.stubFor(post(anyUrl()).inScenario("calls").whenScenarioStateIs(state)
                    .willReturn(answers[i]).willSetStateTo("call-" + (i + 1)));
        }
    }

    @Test
    void labelsComeFromDetectLabelsOnTheImageInS3() {
        answerInTurn(labels());

        ImageMetadata metadata = extractor.extract(jpeg, null);

        assertThat(metadata.status()).isEqualTo(MetadataStatus.LABELED);
        assertThat(metadata.labels()).extracting(Label::name).containsExactly("Dog", "Grass");
        assertThat(metadata.labels().get(0).parents()).containsExactly("Animal");
        assertThat(metadata.labelModelVersion()).isEqualTo("3.0");
        rekognition.verify(1, postRequestedFor(anyUrl())
                .withHeader("X-Amz-Target", com.github.tomakehurst.wiremock.client.WireMock.equalTo("RekognitionService.DetectLabels"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.equalToJson(
                        "{\"Image\":{\"S3Object\":{\"Bucket\":\"digiads-images\",\"Name\":\"images/dog.jpg\"}},"
                                + "\"MaxLabels\":10,\"MinConfidence\":70.0}")));
    }

    @Test
    void throttlingAndServerErrorsAreRetriedWithBackoff() {
        answerInTurn(error(400, "ThrottlingException"), error(400, "ProvisionedThroughputExceededException"),
                error(500, "InternalServerError"), labels());

        ImageMetadata metadata = extractor.extract(jpeg, null);

        assertThat(metadata.status()).isEqualTo(MetadataStatus.LABELED);
        rekognition.verify(4, postRequestedFor(anyUrl()));
        assertThat(meters.counter("digiads.rekognition.calls").count()).as("one call, four attempts").isEqualTo(1);
    }

    @Test
    void anImageRekognitionCannotUseIsRejectedWithoutRetrying() {
        answerInTurn(error(400, "InvalidImageFormatException"));

        ImageMetadata metadata = extractor.extract(jpeg, null);

        assertThat(metadata.status()).isEqualTo(MetadataStatus.REJECTED);
        assertThat(metadata.reason()).startsWith("rejected by Rekognition: InvalidImageFormatException");
        rekognition.verify(1, postRequestedFor(anyUrl()));
    }

    @Test
    void otherErrorsFailTheCallWithoutRetrying() {
        answerInTurn(error(400, "AccessDeniedException"));

        assertThatThrownBy(() -> extractor.extract(jpeg, null)).isInstanceOf(AccessDeniedException.class);
        rekognition.verify(1, postRequestedFor(anyUrl()));
    }

    @Test
    void unchangedContentReusesTheStoredLabelsWithoutACall() {
        ImageMetadata before = ImageMetadata.labeled(jpeg, List.of(new Label("Cat", 88, List.of())), "3.0",
                java.time.Instant.parse("2026-11-01T00:00:00Z"));

        ImageMetadata metadata = extractor.extract(jpeg, before);

        assertThat(metadata.labels()).extracting(Label::name).containsExactly("Cat");
        assertThat(metadata.extractedAt()).isEqualTo(before.extractedAt());
        rekognition.verify(0, postRequestedFor(anyUrl()));
        // other content under the same key is labeled anew
        answerInTurn(labels());
        ProbedImage changed = new ProbedImage("dog.jpg", "digiads-images", "images/dog.jpg", false, "e2", 2048,
                ImageFormat.JPEG, "T2");
        assertThat(extractor.extract(changed, before).labels()).extracting(Label::name).containsExactly("Dog", "Grass");
    }

    @Test
    void callsArePacedByTheRateLimit() {
        answerInTurn(labels(), labels(), labels());
        RateLimiter onePerSecond = RateLimiter.of("slow", RateLimiterConfig.custom().limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build());
        DigiadsProperties.Rekognition settings = new DigiadsProperties.Rekognition(10, 70, 15 * 1024 * 1024, 1,
                Duration.ZERO, 1, Duration.ofMillis(10), Duration.ofMillis(50));
        MetadataExtractor paced = new MetadataExtractor(client, settings, onePerSecond, meters, Clock.systemUTC());

        paced.extract(jpeg, null);

        assertThatThrownBy(() -> paced.extract(jpeg, null))
                .isInstanceOf(io.github.resilience4j.ratelimiter.RequestNotPermitted.class);
        rekognition.verify(1, postRequestedFor(anyUrl()));
    }
}
