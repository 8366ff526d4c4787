package digiads.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import digiads.DigiadsProperties;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsRequest;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsResponse;
import software.amazon.awssdk.services.rekognition.model.DetectModerationLabelsRequest;
import software.amazon.awssdk.services.rekognition.model.DetectModerationLabelsResponse;
import software.amazon.awssdk.services.rekognition.model.InvalidImageFormatException;
import software.amazon.awssdk.services.rekognition.model.RekognitionException;

/** What the extractor makes of a probed object without HTTP: rejections without a call, labels as returned. */
class MetadataExtractorTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final Instant EARLIER = Instant.parse("2026-11-01T00:00:00Z");
    private final RekognitionClient rekognition = mock(RekognitionClient.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MetadataExtractor extractor = new MetadataExtractor(rekognition,
            new DigiadsProperties.Rekognition(10, 70, 1000, 5, Duration.ofSeconds(5), 4, Duration.ofMillis(10),
                    Duration.ofMillis(50), 50),
            RateLimiter.ofDefaults("test"), RateLimiter.ofDefaults("test-moderation"), meters,
            Clock.fixed(NOW, ZoneOffset.UTC));
    private final ProbedImage jpeg = new ProbedImage("a.jpg", "b", "images/a.jpg", false, "e", 1000, ImageFormat.JPEG, "T1");

    private void answers(DetectLabelsResponse labels, DetectModerationLabelsResponse moderation) {
        when(rekognition.detectLabels(any(DetectLabelsRequest.class))).thenReturn(labels);
        when(rekognition.detectModerationLabels(any(DetectModerationLabelsRequest.class))).thenReturn(moderation);
    }

    private static DetectLabelsResponse sky() {
        return DetectLabelsResponse.builder().labels(l -> l.name("Sky").confidence(88f)).labelModelVersion("3.0").build();
    }

    private static DetectModerationLabelsResponse nothingFound() {
        return DetectModerationLabelsResponse.builder().moderationModelVersion("7.0").build();
    }

    @Test
    void anObjectRekognitionCannotLabelIsRejectedWithoutACall() {
        ProbedImage gif = new ProbedImage("a.gif", "b", "images/a.gif", false, "e", 10, ImageFormat.GIF, "T1");

        assertThat(extractor.extract(gif, null)).isEqualTo(ImageMetadata.rejected(gif,
                "unsupported format: image/gif (Rekognition labels JPEG and PNG)", NOW));
        ProbedImage large = new ProbedImage("a.jpg", "b", "images/a.jpg", false, "e", 1001, ImageFormat.JPEG, "T1");
        assertThat(extractor.extract(large, null).reason())
                .isEqualTo("image too large: 1001 bytes, Rekognition accepts at most 1000");
        assertThat(extractor.extract(large, null).moderation()).as("a REJECTED image is not moderated").isNull();
        verifyNoInteractions(rekognition);
    }

    @Test
    void aLabelWithoutConfidenceHasZero() {
        answers(DetectLabelsResponse.builder()
                .labels(l -> l.name("Sky").confidence(88f), l -> l.name("Thing"))
                .labelModelVersion("3.0").build(), nothingFound());

        ImageMetadata labeled = extractor.extract(jpeg, null);

        assertThat(labeled.labels()).containsExactly(new Label("Sky", 88f, List.of()), new Label("Thing", 0f, List.of()));
        assertThat(labeled.extractedAt()).isEqualTo(NOW);
        assertThat(labeled.labelModelVersion()).isEqualTo("3.0");
    }

    @Test
    void everyLabeledImageIsModeratedAndKeepsWhatModerationFound() {
        answers(sky(), DetectModerationLabelsResponse.builder()
                .moderationLabels(l -> l.name("Weapons").parentName("Violence").taxonomyLevel(2).confidence(71.5f),
                        l -> l.name("Violence").parentName("").taxonomyLevel(1).confidence(93f))
                .moderationModelVersion("7.0").build());

        ImageMetadata labeled = extractor.extract(jpeg, null);

        assertThat(labeled.moderation()).isEqualTo(new Moderation(List.of(
                new ModerationLabel("Violence", "", 1, 93f), new ModerationLabel("Weapons", "Violence", 2, 71.5f)), "7.0"));
        assertThat(labeled.moderationLabels()).extracting(ModerationLabel::name).containsExactly("Violence", "Weapons");
        assertThat(labeled.moderationModelVersion()).isEqualTo("7.0");
        ArgumentCaptor<DetectModerationLabelsRequest> request = ArgumentCaptor.forClass(DetectModerationLabelsRequest.class);
        verify(rekognition).detectModerationLabels(request.capture());
        assertThat(request.getValue().image().s3Object().bucket()).isEqualTo("b");
        assertThat(request.getValue().image().s3Object().name()).isEqualTo("images/a.jpg");
        assertThat(request.getValue().minConfidence()).as("digiads.rekognition.moderation-min-confidence").isEqualTo(50f);
        assertThat(meters.counter("digiads.rekognition.calls").count()).isEqualTo(1);
        assertThat(meters.counter("digiads.rekognition.moderation.calls").count()).isEqualTo(1);
    }

    @Test
    void labelsAndModerationAreAskedAtTheSameTime() {
        CountDownLatch bothAsked = new CountDownLatch(2);
        when(rekognition.detectLabels(any(DetectLabelsRequest.class))).thenAnswer(call -> {
            awaitTheOther(bothAsked, "DetectModerationLabels");
            return sky();
        });
        when(rekognition.detectModerationLabels(any(DetectModerationLabelsRequest.class))).thenAnswer(call -> {
            awaitTheOther(bothAsked, "DetectLabels");
            return nothingFound();
        });

        ImageMetadata labeled = extractor.extract(jpeg, null);

        assertThat(labeled.labels()).extracting(Label::name).containsExactly("Sky");
        assertThat(labeled.moderation()).isEqualTo(new Moderation(List.of(), "7.0"));
    }

    /** Each call answers only once the other one has been asked: one after the other, neither would. */
    private static void awaitTheOther(CountDownLatch bothAsked, String other) throws InterruptedException {
        bothAsked.countDown();
        if (!bothAsked.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError(other + " was not asked while this call was waiting for its answer");
        }
    }

    @Test
    void nothingFoundIsAnEmptyListNotNoModeration() {
        answers(sky(), nothingFound());

        Moderation moderation = extractor.extract(jpeg, null).moderation();

        assertThat(moderation).isNotNull();
        assertThat(moderation.labels()).isEmpty();
        assertThat(moderation.modelVersion()).isEqualTo("7.0");
    }

    @Test
    void aModerationLabelWithoutConfidenceCountsAsCertainAndOneWithoutParentOrLevelIsTopLevel() {
        answers(sky(), DetectModerationLabelsResponse.builder()
                .moderationLabels(l -> l.name("Alcohol")).moderationModelVersion("7.0").build());

        assertThat(extractor.extract(jpeg, null).moderationLabels())
                .containsExactly(new ModerationLabel("Alcohol", "", 0, 100f));
    }

    @Test
    void theStoredLabelsAndModerationOfTheSameContentAreReusedWithoutACall() {
        ImageMetadata before = ImageMetadata.labeled(jpeg, List.of(new Label("Cat", 88, List.of())), "3.0",
                new Moderation(List.of(new ModerationLabel("Alcohol", "", 1, 90f)), "7.0"), EARLIER);

        ImageMetadata again = extractor.extract(jpeg, before);

        assertThat(again).isEqualTo(before);
        verifyNoInteractions(rekognition);
    }

    @Test
    void labelsOfAReleaseBeforeModerationAreKeptAndOnlyModerationIsAsked() {
        ImageMetadata unmoderated = ImageMetadata.labeled(jpeg, List.of(new Label("Cat", 88, List.of())), "3.0",
                null, EARLIER);
        when(rekognition.detectModerationLabels(any(DetectModerationLabelsRequest.class))).thenReturn(nothingFound());

        ImageMetadata moderated = extractor.extract(jpeg, unmoderated);

        assertThat(moderated.labels()).extracting(Label::name).containsExactly("Cat");
        assertThat(moderated.extractedAt()).isEqualTo(EARLIER);
        assertThat(moderated.moderation()).isEqualTo(new Moderation(List.of(), "7.0"));
        verify(rekognition, never()).detectLabels(any(DetectLabelsRequest.class));
        verify(rekognition).detectModerationLabels(any(DetectModerationLabelsRequest.class));
    }

    @Test
    void otherContentOrARejectedStateIsLabeledAndModeratedAnew() {
        answers(sky(), nothingFound());
        Moderation found = new Moderation(List.of(new ModerationLabel("Alcohol", "", 1, 90f)), "7.0");
        ImageMetadata otherContent = ImageMetadata.labeled(new ProbedImage("a.jpg", "b", "images/a.jpg", false, "old", 1000,
                ImageFormat.JPEG, "T0"), List.of(new Label("Cat", 88, List.of())), "3.0", found, EARLIER);
        ImageMetadata rejected = ImageMetadata.rejected(jpeg, "rejected by Rekognition: bad", EARLIER);

        assertThat(extractor.extract(jpeg, otherContent).moderation()).isEqualTo(new Moderation(List.of(), "7.0"));
        assertThat(extractor.extract(jpeg, rejected).labels()).extracting(Label::name).containsExactly("Sky");
        assertThat(meters.counter("digiads.rekognition.calls").count()).isEqualTo(2);
        assertThat(meters.counter("digiads.rekognition.moderation.calls").count()).isEqualTo(2);
    }

    @Test
    void anImageModerationCannotUseIsRejected() {
        when(rekognition.detectLabels(any(DetectLabelsRequest.class))).thenReturn(sky());
        when(rekognition.detectModerationLabels(any(DetectModerationLabelsRequest.class))).thenThrow(
                InvalidImageFormatException.builder().awsErrorDetails(AwsErrorDetails.builder()
                        .errorMessage("Request has invalid image format").build()).build());

        ImageMetadata rejected = extractor.extract(jpeg, null);

        assertThat(rejected.status()).isEqualTo(MetadataStatus.REJECTED);
        assertThat(rejected.reason()).isEqualTo("rejected by Rekognition: Request has invalid image format");
    }

    @Test
    void aFailedModerationFailsTheExtractionInsteadOfPassingTheImageAsModerated() {
        when(rekognition.detectLabels(any(DetectLabelsRequest.class))).thenReturn(sky());
        when(rekognition.detectModerationLabels(any(DetectModerationLabelsRequest.class))).thenThrow(
                RekognitionException.builder().statusCode(500).message("InternalServerError").build());
        ImageMetadata unmoderated = ImageMetadata.labeled(jpeg, List.of(new Label("Cat", 88, List.of())), "3.0",
                null, EARLIER);

        assertThatThrownBy(() -> extractor.extract(jpeg, null)).isInstanceOf(RekognitionException.class);
        assertThatThrownBy(() -> extractor.extract(jpeg, unmoderated)).isInstanceOf(RekognitionException.class);
    }

    @Test
    void asTheApplicationBuildsItEachOperationIsPacedAtTheConfiguredRate() {
        DigiadsProperties.Rekognition onePerSecond = new DigiadsProperties.Rekognition(10, 70, 1000, 1, Duration.ZERO, 4,
                Duration.ofMillis(10), Duration.ofMillis(50), 50);
        MetadataExtractor built = new MetadataExtractor(rekognition, new DigiadsProperties(null, null, onePerSecond,
                null, null, null, null), meters);
        answers(sky(), nothingFound());

        assertThat(built.extract(jpeg, null).moderation()).isNotNull();
        assertThatThrownBy(() -> built.extract(jpeg, null))
                .isInstanceOf(io.github.resilience4j.ratelimiter.RequestNotPermitted.class);
        assertThat(meters.counter("digiads.rekognition.calls").count()).isEqualTo(1);
    }

    @Test
    void metadataWithoutLabelsHasAnEmptyListAndWithoutModerationLabelsNoModeration() {
        ImageMetadata none = new ImageMetadata(ImageMetadata.SCHEMA_VERSION, 0, "a.jpg", "b", "images/a.jpg", "e", 1,
                "image/jpeg", MetadataStatus.LABELED, null, null, "3.0", null, "7.0", NOW, null, null);
        assertThat(none.labels()).isEmpty();
        assertThat(none.moderationLabels()).isNull();
        assertThat(none.moderation()).isNull();
        assertThat(none.moderationFor("e")).isFalse();
        assertThat(none.orderToken()).isEqualTo(OrderTokens.OLDEST);
    }
}
