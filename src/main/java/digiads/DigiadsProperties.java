package digiads;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import digiads.brandsafety.ModerationCategory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * The settings the plain-Java pieces need. Route endpoints read the same {@code digiads.*} keys as
 * {@code {{placeholders}}}; every default lives in {@code application.properties}.
 */
@ConfigurationProperties("digiads")
@Validated
public record DigiadsProperties(Aws aws, S3 s3, Rekognition rekognition, @Valid Upload upload, Deals deals,
                                @Valid Security security, @Valid BrandSafety brandSafety) {

    /**
     * The policy can only weigh the moderation labels that were stored: DetectModerationLabels is asked for
     * labels from {@code rekognition.moderation-min-confidence} up, so the policy's threshold may not be lower.
     */
    @AssertTrue(message = "digiads.brand-safety.min-confidence must not be below "
            + "digiads.rekognition.moderation-min-confidence: labels below it are never stored")
    public boolean isBrandSafetyWithinTheStoredLabels() {
        return brandSafety == null || rekognition == null
                || brandSafety.minConfidence() >= rekognition.moderationMinConfidence();
    }

    /**
     * Region, endpoint override (empty = real AWS), optional static credentials (empty = default chain),
     * the HTTP client's settings, and how long AWS calls may take ({@link Timeouts}).
     */
    public record Aws(String region, String endpointOverride, String rekognitionEndpointOverride,
                      String dynamodbEndpointOverride, String accessKeyId,
                      String secretAccessKey, Duration connectTimeout, Duration socketTimeout, int maxConnections,
                      Timeouts timeouts) {

        /**
         * The SDK's time limits, so that every AWS call ends, also when an endpoint accepts connections
         * and never answers: one HTTP attempt ({@code apiCallAttempt}) and the whole call with its
         * retries ({@code apiCall}). DynamoDB and Rekognition have limits of their own; an SQS receive
         * gets its long-poll wait on top; an S3 upload gets {@code s3Upload} for both.
         */
        public record Timeouts(Duration apiCallAttempt, Duration apiCall,
                               Duration dynamodbApiCallAttempt, Duration dynamodbApiCall,
                               Duration rekognitionApiCallAttempt, Duration rekognitionApiCall,
                               Duration s3Upload) {
        }

        public Optional<URI> endpoint() {
            return StringUtils.hasText(endpointOverride) ? Optional.of(URI.create(endpointOverride.trim())) : Optional.empty();
        }

        /**
         * Rekognition's endpoint: its own override when there is one (locally: the stand-in that adds
         * DetectModerationLabels to the emulator), else the one of every client.
         */
        public Optional<URI> rekognitionEndpoint() {
            return StringUtils.hasText(rekognitionEndpointOverride)
                    ? Optional.of(URI.create(rekognitionEndpointOverride.trim())) : endpoint();
        }

        /**
         * DynamoDB's endpoint: its own override when there is one (e.g. a DynamoDB-compatible server of
         * a benchmark, while the other services stay on the emulator), else the one of every client.
         */
        public Optional<URI> dynamodbEndpoint() {
            return StringUtils.hasText(dynamodbEndpointOverride)
                    ? Optional.of(URI.create(dynamodbEndpointOverride.trim())) : endpoint();
        }

        public boolean staticCredentials() {
            return StringUtils.hasText(accessKeyId) && StringUtils.hasText(secretAccessKey);
        }
    }

    /** The image bucket and the key prefix under which objects are images; imageId = key minus prefix. */
    public record S3(String bucket, String keyPrefix) {
    }

    /**
     * DetectLabels tunables, the limits of images Rekognition accepts from S3, and how calls are paced:
     * at most {@code tps} calls of each operation (DetectLabels, DetectModerationLabels) a second from
     * this instance (waiting up to {@code maxWaitForPermit}), each tried up to {@code maxAttempts} times
     * with exponential backoff and full jitter between {@code baseDelay} and {@code maxBackoff}.
     * DetectModerationLabels is asked for labels of at least {@code moderationMinConfidence}.
     */
    public record Rekognition(int maxLabels, float minConfidence, long maxImageBytes, int tps,
                              Duration maxWaitForPermit, int maxAttempts, Duration baseDelay, Duration maxBackoff,
                              float moderationMinConfidence) {
    }

    /**
     * What the API accepts in a request: {@code maxBytes} of image in an upload (never more is read),
     * {@code maxRequestBytes} in the body of any other API request (JSON, e.g. a presigned-upload
     * request); and how long a presigned upload URL is valid.
     */
    public record Upload(@Positive long maxBytes, @Positive long maxRequestBytes, Duration presignedUrlTtl) {
    }

    /**
     * The third-party Deals API and the containment around it.
     *
     * @param topLabels    how many of an image's labels to look deals up for
     * @param limit        deals asked per label
     * @param maxResults   deals in one answer at most
     * @param budgetMillis time for the whole Deals part of a request; a later answer is dropped
     * @param linkSchemes  the URL schemes a deal's link may have to be passed on (https; http locally)
     */
    public record Deals(String baseUrl, String apiKey, String apiKeyHeader, int topLabels, int limit, int maxResults,
                        long budgetMillis, Set<String> linkSchemes, CacheSettings cache,
                        CircuitBreakerSettings circuitBreaker) {

        public record CacheSettings(Duration freshFor, Duration keepFor, long maxLabels) {
        }

        public record CircuitBreakerSettings(int slidingWindowSize, int minimumNumberOfCalls,
                                             float failureRateThreshold, Duration slowCallThreshold,
                                             Duration waitInOpenState, int permittedCallsInHalfOpenState) {
        }
    }

    /**
     * Which ads an image may carry, decided from its moderation labels when it is read
     * ({@link digiads.brandsafety.BrandSafetyPolicy}): a label of a {@code block} category with at least
     * {@code minConfidence} % blocks every deal; one of a {@code restrict} category lets deals be served
     * and names the restriction. Categories are the top-level ones of Rekognition's moderation taxonomy.
     */
    public record BrandSafety(@NotNull Set<ModerationCategory> block, @NotNull Set<ModerationCategory> restrict,
                              @DecimalMin("0") @DecimalMax("100") float minConfidence) {

        @AssertTrue(message = "a category either blocks or restricts ads, not both: remove it from "
                + "digiads.brand-safety.block or from digiads.brand-safety.restrict")
        public boolean isEachCategoryBlocksOrRestricts() {
            return block == null || restrict == null || restrict.stream().noneMatch(block::contains);
        }
    }

    /**
     * Who may call {@code /api}: bearer JWTs of this issuer (Cognito on AWS, the local issuer on a
     * laptop), with {@code readScope} for reads and {@code writeScope} for writes. {@code jwkSetUri}
     * is where the signing keys are fetched when the issuer's own address is not reachable from the
     * app (empty = discovered from the issuer). Writes are limited per client. At most
     * {@code verifiedTokens} tokens whose signature was verified are kept until they expire (each is
     * verified once, its claims on every request).
     */
    public record Security(
            @NotBlank(message = "set the issuer of the API's access tokens (DIGIADS_SECURITY_ISSUER_URI), e.g. "
                    + "https://cognito-idp.<region>.amazonaws.com/<user pool id>") String issuerUri,
            String jwkSetUri,
            @NotBlank String readScope,
            @NotBlank String writeScope,
            @Valid WriteRate writeRate,
            @Positive int verifiedTokens) {

        /** A client may write {@code perSecond} times a second on average, {@code burst} at once. */
        public record WriteRate(@Positive long perSecond, @Positive long burst) {
        }
    }
}
