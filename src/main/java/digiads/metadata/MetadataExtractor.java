package digiads.metadata;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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
import software.amazon.awssdk.services.rekognition.model.DetectModerationLabelsRequest;
import software.amazon.awssdk.services.rekognition.model.DetectModerationLabelsResponse;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.ImageTooLargeException;
import software.amazon.awssdk.services.rekognition.model.InvalidImageFormatException;
import software.amazon.awssdk.services.rekognition.model.Parent;
import software.amazon.awssdk.services.rekognition.model.S3Object;

/**
 * Turns a probed object into its metadata: REJECTED with the reason when Rekognition cannot label
 * it (no call is made); otherwise LABELED with what DetectLabels and DetectModerationLabels return for
 * the image referenced in S3, both asked at the same time (the image's wait is the slower call, not
 * the sum). What is stored for exactly this content (same ETag, same bytes) is reused
 * without a call: the labels, and the moderation labels once there are any (metadata a release before
 * moderation wrote has labels but no moderation: only DetectModerationLabels is asked then).
 *
 * <p>Calls are rate-limited, each operation by its own limiter (the TPS quotas are per account, region
 * and operation), and retried by the SDK with exponential backoff and jitter on throttling and 5xx (see
 * {@code AwsClients}). Rekognition's own verdict that an image is unusable is final: REJECTED. Any other
 * failure of either call fails the extraction: nothing is posted, the message is received again later,
 * and no image is ever stored as moderated without an answer of DetectModerationLabels.
 */
@Component
public class MetadataExtractor implements AutoCloseable {

    private final RekognitionClient rekognition;
    private final DigiadsProperties.Rekognition settings;
    private final RateLimiter labelsLimiter;
    private final RateLimiter moderationLimiter;
    private final Counter calls;
    private final Counter moderationCalls;
    private final Clock clock;
    /** Where DetectModerationLabels runs while DetectLabels runs on the caller's thread. */
    private final ExecutorService moderationThreads;

    @Autowired
    public MetadataExtractor(RekognitionClient rekognition, DigiadsProperties properties, MeterRegistry meters) {
        this(rekognition, properties.rekognition(), limiter("rekognition", properties.rekognition()),
                limiter("rekognition-moderation", properties.rekognition()), meters, Clock.systemUTC());
    }

    MetadataExtractor(RekognitionClient rekognition, DigiadsProperties.Rekognition settings, RateLimiter labelsLimiter,
                      RateLimiter moderationLimiter, MeterRegistry meters, Clock clock) {
        this.moderationThreads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("rekognition-moderation-", 0).factory());
        this.rekognition = rekognition;
        this.settings = settings;
        this.labelsLimiter = labelsLimiter;
        this.moderationLimiter = moderationLimiter;
        this.calls = Counter.builder("digiads.rekognition.calls")
                .description("DetectLabels calls made (each counted once, however often the SDK retried it)")
                .register(meters);
        this.moderationCalls = Counter.builder("digiads.rekognition.moderation.calls")
                .description("DetectModerationLabels calls made (each counted once, however often the SDK retried it)")
                .register(meters);
        this.clock = clock;
    }

    private static RateLimiter limiter(String name, DigiadsProperties.Rekognition settings) {
        return RateLimiter.of(name, RateLimiterConfig.custom()
                .limitForPeriod(settings.tps())
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(settings.maxWaitForPermit())
                .build());
    }

    /**
     * @param stored what is stored for the image now, or null
     */
    public ImageMetadata extract(@Body ProbedImage image, @ExchangeProperty("stored") ImageMetadata stored) {
        var rejection = image.rejection(settings.maxImageBytes());
        if (rejection.isPresent()) {
            return ImageMetadata.rejected(image, rejection.get(), clock.instant());
        }
        try {
            if (stored != null && stored.labelsFor(image.eTag())) {
                Moderation moderation = stored.moderationFor(image.eTag()) ? stored.moderation() : moderate(image);
                return ImageMetadata.labeled(image, stored.labels(), stored.labelModelVersion(), moderation,
                        stored.extractedAt());
            }
            CompletableFuture<Moderation> moderation = CompletableFuture.supplyAsync(() -> moderate(image), moderationThreads);
            DetectLabelsResponse labels;
            try {
                labels = detectLabels(image);
            } catch (RuntimeException e) {
                moderation.handle((answer, failure) -> null).join(); // no call outlives the extraction
                throw e;
            }
            return ImageMetadata.labeled(image, labels(labels), labels.labelModelVersion(), await(moderation),
                    clock.instant());
        } catch (InvalidImageFormatException | ImageTooLargeException e) {
            return ImageMetadata.rejected(image, "rejected by Rekognition: " + e.awsErrorDetails().errorMessage(),
                    clock.instant());
        }
    }

    /** The moderation call's answer, or its failure as it was thrown. */
    private static Moderation await(CompletableFuture<Moderation> moderation) {
        try {
            return moderation.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    @Override
    public void close() {
        moderationThreads.close();
    }

    private DetectLabelsResponse detectLabels(ProbedImage image) {
        RateLimiter.waitForPermission(labelsLimiter);
        calls.increment();
        return rekognition.detectLabels(DetectLabelsRequest.builder()
                .image(s3Image(image))
                .maxLabels(settings.maxLabels())
                .minConfidence(settings.minConfidence())
                .build());
    }

    /**
     * What DetectModerationLabels finds in the image. A label it reports without a confidence counts as
     * certain: a reported label is never dropped for lack of a number.
     */
    private Moderation moderate(ProbedImage image) {
        RateLimiter.waitForPermission(moderationLimiter);
        moderationCalls.increment();
        DetectModerationLabelsResponse response = rekognition.detectModerationLabels(DetectModerationLabelsRequest.builder()
                .image(s3Image(image))
                .minConfidence(settings.moderationMinConfidence())
                .build());
        return new Moderation(response.moderationLabels().stream()
                .map(l -> new ModerationLabel(l.name(), l.parentName(), l.taxonomyLevel() == null ? 0 : l.taxonomyLevel(),
                        l.confidence() == null ? 100f : l.confidence()))
                .toList(), response.moderationModelVersion());
    }

    private static Image s3Image(ProbedImage image) {
        return Image.builder().s3Object(S3Object.builder().bucket(image.bucket()).name(image.key()).build()).build();
    }

    private static List<Label> labels(DetectLabelsResponse response) {
        return response.labels().stream()
                .map(l -> new Label(l.name(), l.confidence() == null ? 0f : l.confidence(),
                        l.parents().stream().map(Parent::name).toList()))
                .toList();
    }
}
