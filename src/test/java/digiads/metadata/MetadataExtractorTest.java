package digiads.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import digiads.DigiadsProperties;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsRequest;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsResponse;

/** What the extractor makes of a probed object without HTTP: rejections without a call, labels as returned. */
class MetadataExtractorTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final RekognitionClient rekognition = mock(RekognitionClient.class);
    private final MetadataExtractor extractor = new MetadataExtractor(rekognition,
            new DigiadsProperties.Rekognition(10, 70, 1000, 5, Duration.ofSeconds(5), 4, Duration.ofMillis(10),
                    Duration.ofMillis(50)),
            RateLimiter.ofDefaults("test"), new SimpleMeterRegistry(), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void anObjectRekognitionCannotLabelIsRejectedWithoutACall() {
        ProbedImage gif = new ProbedImage("a.gif", "b", "images/a.gif", false, "e", 10, ImageFormat.GIF, "T1");

        assertThat(extractor.extract(gif, null)).isEqualTo(ImageMetadata.rejected(gif,
                "unsupported format: image/gif (Rekognition labels JPEG and PNG)", NOW));
        ProbedImage large = new ProbedImage("a.jpg", "b", "images/a.jpg", false, "e", 1001, ImageFormat.JPEG, "T1");
        assertThat(extractor.extract(large, null).reason())
                .isEqualTo("image too large: 1001 bytes, Rekognition accepts at most 1000");
        verifyNoInteractions(rekognition);
    }

    @Test
    void aLabelWithoutConfidenceHasZero() {
        when(rekognition.detectLabels(any(DetectLabelsRequest.class))).thenReturn(DetectLabelsResponse.builder()
                .labels(l -> l.name("Sky").confidence(88f), l -> l.name("Thing"))
                .labelModelVersion("3.0").build());
        ProbedImage jpeg = new ProbedImage("a.jpg", "b", "images/a.jpg", false, "e", 1000, ImageFormat.JPEG, "T1");

        ImageMetadata labeled = extractor.extract(jpeg, null);

        assertThat(labeled.labels()).containsExactly(new Label("Sky", 88f, List.of()), new Label("Thing", 0f, List.of()));
        assertThat(labeled.extractedAt()).isEqualTo(NOW);
        assertThat(labeled.labelModelVersion()).isEqualTo("3.0");
    }

    @Test
    void metadataWithoutLabelsHasAnEmptyList() {
        ImageMetadata none = new ImageMetadata(ImageMetadata.SCHEMA_VERSION, 0, "a.jpg", "b", "images/a.jpg", "e", 1,
                "image/jpeg", MetadataStatus.LABELED, null, null, "3.0", NOW, null, null);
        assertThat(none.labels()).isEmpty();
        assertThat(none.orderToken()).isEqualTo(OrderTokens.OLDEST);
    }
}
