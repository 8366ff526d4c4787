package digiads;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;

/**
 * The settings the plain-Java pieces need. Route endpoints read the same {@code digiads.*} keys as
 * {@code {{placeholders}}}; every default lives in {@code application.properties}.
 */
@ConfigurationProperties("digiads")
public record DigiadsProperties(Aws aws, S3 s3, Rekognition rekognition, Upload upload) {

    /** Region, endpoint override (empty = real AWS) and optional static credentials (empty = default chain). */
    public record Aws(String region, String endpointOverride, String accessKeyId, String secretAccessKey,
                      Duration connectTimeout, Duration socketTimeout, int maxConnections) {

        public Optional<URI> endpoint() {
            return StringUtils.hasText(endpointOverride) ? Optional.of(URI.create(endpointOverride.trim())) : Optional.empty();
        }

        public boolean staticCredentials() {
            return StringUtils.hasText(accessKeyId) && StringUtils.hasText(secretAccessKey);
        }
    }

    /** The image bucket and the key prefix under which objects are images; imageId = key minus prefix. */
    public record S3(String bucket, String keyPrefix) {
    }

    /** DetectLabels tunables and the limits of images Rekognition accepts from S3. */
    public record Rekognition(int maxLabels, float minConfidence, long maxImageBytes) {
    }

    /** REST upload limits. */
    public record Upload(long maxBytes) {
    }
}
