package digiads.metadata;

import java.time.Clock;
import java.util.List;

import digiads.DigiadsProperties;
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
 * it (no call is made), otherwise LABELED with what DetectLabels returns for the image referenced
 * in S3. Rekognition's own verdict that an image is unusable is final too: REJECTED, not retried.
 */
@Component
public class MetadataExtractor {

    private final RekognitionClient rekognition;
    private final DigiadsProperties.Rekognition settings;
    private final Clock clock;

    @Autowired
    public MetadataExtractor(RekognitionClient rekognition, DigiadsProperties properties) {
        this(rekognition, properties.rekognition(), Clock.systemUTC());
    }

    MetadataExtractor(RekognitionClient rekognition, DigiadsProperties.Rekognition settings, Clock clock) {
        this.rekognition = rekognition;
        this.settings = settings;
        this.clock = clock;
    }

    public ImageMetadata extract(ProbedImage image) {
        var rejection = image.rejection(settings.maxImageBytes());
        if (rejection.isPresent()) {
            return ImageMetadata.rejected(image, rejection.get(), clock.instant());
        }
        try {
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
