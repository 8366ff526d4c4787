package digiads.metadata;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import digiads.DigiadsProperties;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsRequest;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsResponse;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.ImageTooLargeException;
import software.amazon.awssdk.services.rekognition.model.InvalidImageFormatException;
import software.amazon.awssdk.services.rekognition.model.Parent;
import software.amazon.awssdk.services.rekognition.model.S3Object;

/**
 * Turns a probed object into its metadata: REJECTED with the reason when Rekognition cannot label
 * it (no call is made); LABELED with the stored labels when exactly this content was labeled
 * before (no call either: same ETag, same bytes); otherwise LABELED with what DetectLabels returns
 * for the image referenced in S3. Calls are rate-limited (the TPS quota is per account and region)
 * and retried by the SDK with exponential backoff and jitter on throttling and 5xx (see
 * {@code AwsClients}). Rekognition's own verdict that an image is unusable is final: REJECTED.
 */
@Component
public class MetadataExtractor {

    private final RekognitionClient rekognition;
    private final DigiadsProperties.Rekognition settings;
    private final RateLimiter rateLimiter;
    private final Counter calls;
    private final Clock clock;

    @Autowired
    public MetadataExtractor(RekognitionClient rekognition, DigiadsProperties properties, MeterRegistry meters) {
        this(rekognition, properties.rekognition(), RateLimiter.of("rekognition", RateLimiterConfig.custom()
                .limitForPeriod(properties.rekognition().tps())
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(properties.rekognition().maxWaitForPermit())
                .build()), meters, Clock.systemUTC());
    }

    MetadataExtractor(RekognitionClient rekognition, DigiadsProperties.Rekognition settings, RateLimiter rateLimiter,
                      MeterRegistry meters, Clock clock) {
        this.rekognition = rekognition;
        this.settings = settings;
        this.rateLimiter = rateLimiter;
        this.calls = Counter.builder("digiads.rekognition.calls")
                .description("DetectLabels calls made (each counted once, however often the SDK retried it)")
                .register(meters);
        this.clock = clock;
    }

    /**
     * @param stored what is stored for the image now, or null
     */
    public ImageMetadata extract(@Body ProbedImage image, @ExchangeProperty("stored") ImageMetadata stored) {
        var rejection = image.rejection(settings.maxImageBytes());
        if (rejection.isPresent()) {
            return ImageMetadata.rejected(image, rejection.get(), clock.instant());
        }
        if (stored != null && stored.labelsFor(image.eTag())) {
            return ImageMetadata.labeled(image, stored.labels(), stored.labelModelVersion(), stored.extractedAt());
        }
        try {
            RateLimiter.waitForPermission(rateLimiter);
            calls.increment();
            DetectLabelsResponse response = rekognition.detectLabels(DetectLabelsRequest.builder()
                    .image(Image.builder().s3Object(S3Object.builder().bucket(image.bucket()).name(image.key()).build())
                            .build())
                    .maxLabels(settings.maxLabels())
                    .minConfidence(settings.minConfidence())
                    .build());
            return ImageMetadata.labeled(image, labels(response), response.labelModelVersion(), clock.instant());
        } catch (InvalidImageFormatException | ImageTooLargeException e) {
            return ImageMetadata.rejected(image, "rejected by Rekognition: " + e.awsErrorDetails().errorMessage(),
                    clock.instant());
        }
    }

    private static List<Label> labels(DetectLabelsResponse response) {
        return response.labels().stream()
                .map(l -> new Label(l.name(), l.confidence() == null ? 0f : l.confidence(),
                        l.parents().stream().map(Parent::name).toList()))
                .toList();
    }
}
