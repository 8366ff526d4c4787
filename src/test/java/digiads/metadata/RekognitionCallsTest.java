package digiads.metadata;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
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
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
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
import software.amazon.awssdk.services.rekognition.model.RekognitionException;

/**
 * The Rekognition client as the application builds it, over HTTP against a stand-in that answers
 * the way Rekognition does: throttling and 5xx are retried with backoff, for DetectLabels and
 * DetectModerationLabels alike; an image Rekognition calls unusable is REJECTED without a retry, and
 * other errors fail (the message is redelivered later), so an image whose moderation failed is never
 * stored as moderated.
 */
class RekognitionCallsTest {

    private static final String DETECT_LABELS = "RekognitionService.DetectLabels";
    private static final String DETECT_MODERATION_LABELS = "RekognitionService.DetectModerationLabels";
    private static final String LABELS = """
            {"Labels":[{"Name":"Dog","Confidence":97.5,"Parents":[{"Name":"Animal"}]},{"Name":"Grass","Confidence":80.1,"Parents":[]}],
             "LabelModelVersion":"3.0"}""";
    /** DetectModerationLabels' answer as the service gives it (API reference: DetectModerationLabels). */
    private static final String MODERATION = """
            {"ModerationLabels":[{"Confidence":88.54,"Name":"Alcohol","ParentName":"","TaxonomyLevel":1},
              {"Confidence":88.54,"Name":"Alcoholic Beverages","ParentName":"Alcohol","TaxonomyLevel":2}],
             "ModerationModelVersion":"7.0","ContentTypes":[]}""";

    private final WireMockServer rekognition = new WireMockServer(options().dynamicPort());
    private SdkHttpClient http;
    private RekognitionClient client;
    private MetadataExtractor extractor;
    private final io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    private final ProbedImage jpeg = new ProbedImage("dog.jpg", "digiads-images", "images/dog.jpg", false, "e1", 2048,
            ImageFormat.JPEG, "T1");
    private DigiadsProperties.Rekognition settings;

    @BeforeEach
    void start() {
        rekognition.start();
        settings = new DigiadsProperties.Rekognition(10, 70, 15 * 1024 * 1024, 5,
                Duration.ofSeconds(5), 4, Duration.ofMillis(10), Duration.ofMillis(50), 50);
        client = clients("http://127.0.0.1:1", rekognition.baseUrl()).rekognitionClient(http);
        extractor = new MetadataExtractor(client, settings, limiter(100), limiter(100), meters, Clock.systemUTC());
    }

    /** The clients of an application whose AWS endpoint is {@code aws} and Rekognition's {@code rekognitionEndpoint}. */
    private AwsClients clients(String aws, String rekognitionEndpoint) {
        DigiadsProperties properties = new DigiadsProperties(
                new DigiadsProperties.Aws("us-east-1", aws, rekognitionEndpoint, "", "test", "test", Duration.ofSeconds(2),
                        Duration.ofSeconds(5), 10, new DigiadsProperties.Aws.Timeouts(Duration.ofSeconds(2),
                        Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
                        Duration.ofSeconds(10), Duration.ofSeconds(30))),
                new DigiadsProperties.S3("digiads-images", "images/"), settings,
                new DigiadsProperties.Upload(1, 1, Duration.ofMinutes(5)), null, null, null);
        AwsClients clients = new AwsClients(properties);
        if (http == null) {
            http = clients.awsHttpClient();
        }
        return clients;
    }

    private static RateLimiter limiter(int perSecond) {
        return RateLimiter.of("test", RateLimiterConfig.custom().limitForPeriod(perSecond)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build());
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

    private static ResponseDefinitionBuilder ok(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body);
    }

    private static ResponseDefinitionBuilder labels() {
        return ok(LABELS);
    }

    private static ResponseDefinitionBuilder moderation() {
        return ok(MODERATION);
    }

    /** The operation answers these in turn, one per request. */
    private void answerInTurn(String operation, ResponseDefinitionBuilder... answers) {
        for (int i = 0; i < answers.length; i++) {
            String state = i == 0 ? Scenario.STARTED : "call-" + i;
            rekognition.stubFor(post(anyUrl()).withHeader("X-Amz-Target", equalTo(operation))
                    .inScenario(operation).whenScenarioStateIs(state)
                    .willReturn(answers[i]).willSetStateTo("call-" + (i + 1)));
        }
    }

    private static RequestPatternBuilder requestsOf(String operation) {
        return postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo(operation));
    }

    @Test
    void labelsComeFromDetectLabelsAndModerationFromDetectModerationLabelsOnTheImageInS3() {
        answerInTurn(DETECT_LABELS, labels());
        answerInTurn(DETECT_MODERATION_LABELS, moderation());

        ImageMetadata metadata = extractor.extract(jpeg, null);

        assertThat(metadata.status()).isEqualTo(MetadataStatus.LABELED);
        assertThat(metadata.labels()).extracting(Label::name).containsExactly("Dog", "Grass");
        assertThat(metadata.labels().get(0).parents()).containsExactly("Animal");
        assertThat(metadata.labelModelVersion()).isEqualTo("3.0");
        assertThat(metadata.moderation()).isEqualTo(new Moderation(List.of(new ModerationLabel("Alcohol", "", 1, 88.54f),
                new ModerationLabel("Alcoholic Beverages", "Alcohol", 2, 88.54f)), "7.0"));
        rekognition.verify(1, requestsOf(DETECT_LABELS).withRequestBody(equalToJson(
                "{\"Image\":{\"S3Object\":{\"Bucket\":\"digiads-images\",\"Name\":\"images/dog.jpg\"}},"
                        + "\"MaxLabels\":10,\"MinConfidence\":70.0}")));
        rekognition.verify(1, requestsOf(DETECT_MODERATION_LABELS)
                .withHeader("Content-Type", equalTo("application/x-amz-json-1.1"))
                .withRequestBody(equalToJson(
                        "{\"Image\":{\"S3Object\":{\"Bucket\":\"digiads-images\",\"Name\":\"images/dog.jpg\"}},"
                                + "\"MinConfidence\":50.0}")));
    }

    @Test
    void throttlingAndServerErrorsAreRetriedWithBackoff() {
        answerInTurn(DETECT_LABELS, error(400, "ThrottlingException"), error(400, "ProvisionedThroughputExceededException"),
                error(500, "InternalServerError"), labels());
        answerInTurn(DETECT_MODERATION_LABELS, error(400, "ThrottlingException"), error(503, "ServiceUnavailableException"),
                moderation());

        ImageMetadata metadata = extractor.extract(jpeg, null);

        assertThat(metadata.status()).isEqualTo(MetadataStatus.LABELED);
        assertThat(metadata.moderation()).isNotNull();
        rekognition.verify(4, requestsOf(DETECT_LABELS));
        rekognition.verify(3, requestsOf(DETECT_MODERATION_LABELS));
        assertThat(meters.counter("digiads.rekognition.calls").count()).as("one call, four attempts").isEqualTo(1);
        assertThat(meters.counter("digiads.rekognition.moderation.calls").count()).as("one call, three attempts")
                .isEqualTo(1);
    }

    @Test
    void moderationThatKeepsFailingFailsTheExtractionAfterEveryAttempt() {
        answerInTurn(DETECT_LABELS, labels());
        answerInTurn(DETECT_MODERATION_LABELS, error(400, "ThrottlingException"), error(400, "ThrottlingException"),
                error(400, "ThrottlingException"), error(400, "ThrottlingException"));

        assertThatThrownBy(() -> extractor.extract(jpeg, null)).isInstanceOf(RekognitionException.class)
                .hasMessageContaining("ThrottlingException");
        rekognition.verify(4, requestsOf(DETECT_MODERATION_LABELS));
    }

    @Test
    void anImageRekognitionCannotUseIsRejectedWithoutRetrying() {
        answerInTurn(DETECT_LABELS, error(400, "InvalidImageFormatException"));

        ImageMetadata metadata = extractor.extract(jpeg, null);

        assertThat(metadata.status()).isEqualTo(MetadataStatus.REJECTED);
        assertThat(metadata.reason()).startsWith("rejected by Rekognition: InvalidImageFormatException");
        rekognition.verify(1, requestsOf(DETECT_LABELS)); // DetectModerationLabels was asked at the same time
    }

    @Test
    void otherErrorsFailTheCallWithoutRetrying() {
        answerInTurn(DETECT_LABELS, error(400, "AccessDeniedException"));

        assertThatThrownBy(() -> extractor.extract(jpeg, null)).isInstanceOf(AccessDeniedException.class);
        rekognition.verify(1, requestsOf(DETECT_LABELS));

        rekognition.resetAll();
        answerInTurn(DETECT_LABELS, labels());
        answerInTurn(DETECT_MODERATION_LABELS, error(400, "AccessDeniedException"));
        assertThatThrownBy(() -> extractor.extract(jpeg, null)).isInstanceOf(AccessDeniedException.class);
        rekognition.verify(1, requestsOf(DETECT_MODERATION_LABELS));
    }

    @Test
    void unchangedContentReusesTheStoredLabelsAndModerationWithoutACall() {
        ImageMetadata before = ImageMetadata.labeled(jpeg, List.of(new Label("Cat", 88, List.of())), "3.0",
                new Moderation(List.of(), "7.0"), java.time.Instant.parse("2026-11-01T00:00:00Z"));

        ImageMetadata metadata = extractor.extract(jpeg, before);

        assertThat(metadata.labels()).extracting(Label::name).containsExactly("Cat");
        assertThat(metadata.extractedAt()).isEqualTo(before.extractedAt());
        rekognition.verify(0, postRequestedFor(anyUrl()));
        // other content under the same key is labeled and moderated anew
        answerInTurn(DETECT_LABELS, labels());
        answerInTurn(DETECT_MODERATION_LABELS, moderation());
        ProbedImage changed = new ProbedImage("dog.jpg", "digiads-images", "images/dog.jpg", false, "e2", 2048,
                ImageFormat.JPEG, "T2");
        ImageMetadata relabeled = extractor.extract(changed, before);
        assertThat(relabeled.labels()).extracting(Label::name).containsExactly("Dog", "Grass");
        assertThat(relabeled.moderationLabels()).extracting(ModerationLabel::name)
                .containsExactly("Alcohol", "Alcoholic Beverages");
    }

    @Test
    void callsArePacedByTheRateLimitOfTheirOperation() {
        answerInTurn(DETECT_LABELS, labels(), labels(), labels());
        answerInTurn(DETECT_MODERATION_LABELS, moderation(), moderation(), moderation());
        MetadataExtractor labelsPaced = new MetadataExtractor(client, settings, limiter(1), limiter(100), meters,
                Clock.systemUTC());

        labelsPaced.extract(jpeg, null);

        assertThatThrownBy(() -> labelsPaced.extract(jpeg, null))
                .isInstanceOf(io.github.resilience4j.ratelimiter.RequestNotPermitted.class);
        rekognition.verify(1, requestsOf(DETECT_LABELS));

        // a DetectModerationLabels call waits for its own permit: with none left, it is not made
        rekognition.resetRequests();
        MetadataExtractor moderationPaced = new MetadataExtractor(client, settings, limiter(100), limiter(1), meters,
                Clock.systemUTC());
        moderationPaced.extract(jpeg, null);
        assertThatThrownBy(() -> moderationPaced.extract(jpeg, null))
                .isInstanceOf(io.github.resilience4j.ratelimiter.RequestNotPermitted.class);
        rekognition.verify(2, requestsOf(DETECT_LABELS));
        rekognition.verify(1, requestsOf(DETECT_MODERATION_LABELS));
    }

    @Test
    void rekognitionHasItsOwnEndpointWhenOneIsSetAndTheCommonOneOtherwise() {
        answerInTurn(DETECT_MODERATION_LABELS, moderation(), moderation());
        try (RekognitionClient own = clients("http://127.0.0.1:1", rekognition.baseUrl()).rekognitionClient(http);
             RekognitionClient common = clients(rekognition.baseUrl(), "").rekognitionClient(http)) {
            own.detectModerationLabels(b -> b.image(i -> i.s3Object(o -> o.bucket("b").name("k"))));
            common.detectModerationLabels(b -> b.image(i -> i.s3Object(o -> o.bucket("b").name("k"))));
        }
        rekognition.verify(2, requestsOf(DETECT_MODERATION_LABELS));
    }
}
