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
     *
     * @param region                      the AWS region
     * @param endpointOverride            one endpoint for every AWS service, e.g. an emulator; empty: real AWS
     * @param rekognitionEndpointOverride Rekognition's own endpoint, empty: the one above; locally the stand-in that
     *                                    adds DetectModerationLabels to the emulator
     * @param dynamodbEndpointOverride    DynamoDB's own endpoint, empty: the one above; a DynamoDB-compatible
     *                                    server while the other services stay on the emulator (the search benchmark
     *                                    runs the app on dynalite this way)
     * @param accessKeyId                 static credentials, for emulators; empty: the SDK's default credential chain
     * @param secretAccessKey             the static credentials' secret; empty: the default credential chain
     * @param connectTimeout              the AWS SDK's HTTP client (Apache): time to connect
     * @param socketTimeout               the AWS SDK's HTTP client: time a read may wait
     * @param maxConnections              the AWS SDK's HTTP client: connections per client
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
         *
         * (Each @param before the longer name it begins: the configuration processor takes the first line that
         * starts with the name.)
         *
         * @param apiCall                   S3 and SQS: time for the whole call with its retries
         * @param apiCallAttempt            S3 and SQS: time for one HTTP attempt
         * @param dynamodbApiCall           DynamoDB: time for the whole call (a REST read behind a hung DynamoDB
         *                                  answers 503 within 3 s)
         * @param dynamodbApiCallAttempt    DynamoDB: time for one HTTP attempt
         * @param rekognitionApiCall        Rekognition: the whole call, its throttling retries included
         * @param rekognitionApiCallAttempt Rekognition's DetectLabels and DetectModerationLabels: one HTTP attempt
         * @param s3Upload                  attempt and call limit of an upload's PutObject (up to 15 MB); an SQS
         *                                  receive gets its wait time on top of the S3 and SQS limits
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

    /**
     * The image bucket and the key prefix under which objects are images; imageId = key minus prefix.
     *
     * @param bucket    where the images are
     * @param keyPrefix the prefix of the images' keys
     */
    public record S3(String bucket, String keyPrefix) {
    }

    /**
     * DetectLabels tunables, the limits of images Rekognition accepts from S3, and how calls are paced:
     * at most {@code tps} calls of each operation (DetectLabels, DetectModerationLabels) a second from
     * this instance (waiting up to {@code maxWaitForPermit}), each tried up to {@code maxAttempts} times
     * with exponential backoff and full jitter between {@code baseDelay} and {@code maxBackoff}.
     * DetectModerationLabels is asked for labels of at least {@code moderationMinConfidence}.
     *
     * @param maxLabels               DetectLabels {@code MaxLabels} (the app refuses to start above 24)
     * @param minConfidence           DetectLabels {@code MinConfidence}
     * @param maxImageBytes           larger objects are REJECTED without a call
     * @param tps                     DetectLabels calls a second per instance, and as many DetectModerationLabels calls
     * @param maxWaitForPermit        how long a call may wait for its turn before the message is retried
     * @param maxAttempts             attempts on throttling and 5xx (exponential backoff, full jitter)
     * @param baseDelay               the first backoff
     * @param maxBackoff              the longest backoff
     * @param moderationMinConfidence DetectModerationLabels {@code MinConfidence}: the weakest moderation label stored
     */
    public record Rekognition(int maxLabels, float minConfidence, long maxImageBytes, int tps,
                              Duration maxWaitForPermit, int maxAttempts, Duration baseDelay, Duration maxBackoff,
                              float moderationMinConfidence) {
    }

    /**
     * What the API accepts in a request: {@code maxBytes} of image in an upload (never more is read),
     * {@code maxRequestBytes} in the body of any other API request (JSON, e.g. a presigned-upload
     * request); and how long a presigned upload URL is valid.
     *
     * @param maxBytes        the largest upload {@code POST /api/images} accepts
     * @param maxRequestBytes the largest body of any other API request (the presigned-upload JSON)
     * @param presignedUrlTtl how long a presigned upload URL is valid
     */
    public record Upload(@Positive long maxBytes, @Positive long maxRequestBytes, Duration presignedUrlTtl) {
    }

    /**
     * The third-party Deals API and the containment around it.
     *
     * @param baseUrl      the Deals API
     * @param apiKey       its key: give it from the environment ({@code DIGIADS_DEALS_API_KEY}) or a secret store
     * @param apiKeyHeader the header that carries the key
     * @param topLabels    how many of an image's labels to look deals up for
     * @param limit        deals asked per label
     * @param maxResults   deals in one answer at most
     * @param budgetMillis time for the whole Deals part of a request; a later answer is dropped
     * @param linkSchemes  the URL schemes a deal's link may have to be passed on (https; http locally)
     */
    public record Deals(String baseUrl, String apiKey, String apiKeyHeader, int topLabels, int limit, int maxResults,
                        long budgetMillis, Set<String> linkSchemes, CacheSettings cache,
                        CircuitBreakerSettings circuitBreaker) {

        /**
         * The per-label deals cache.
         *
         * @param freshFor  deals younger than this are served without a call
         * @param keepFor   how long deals are kept as the fallback when a call fails
         * @param maxLabels labels the cache holds at most
         */
        public record CacheSettings(Duration freshFor, Duration keepFor, long maxLabels) {
        }

        /**
         * The Deals API's circuit breaker (resilience4j).
         *
         * @param slidingWindowSize             the calls it weighs
         * @param minimumNumberOfCalls          the calls it needs before it may open
         * @param failureRateThreshold          it opens at this % of failed or slow calls
         * @param slowCallThreshold             a call slower than this counts as slow
         * @param waitInOpenState               how long it stays open before it lets probe calls through
         * @param permittedCallsInHalfOpenState the probe calls
         */
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
     *
     * @param block         categories whose labels make an image {@code UNSAFE}: no deals
     * @param restrict      categories whose labels make it {@code RESTRICTED}: deals, with the restriction named
     * @param minConfidence the confidence (%) from which a label counts; not below
     *                      {@code digiads.rekognition.moderation-min-confidence}
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
     *
     * @param issuerUri      the issuer of the API's bearer tokens (required):
     *                       {@code https://cognito-idp.<region>.amazonaws.com/<user pool id>} on AWS
     * @param jwkSetUri      where to fetch its keys when the issuer's address is not reachable from the app;
     *                       empty: from the issuer's discovery document
     * @param readScope      the scope of reads
     * @param writeScope     the scope of writes
     * @param verifiedTokens tokens kept after their signature was verified (each until it expires; the claims are
     *                       checked on every request)
     */
    public record Security(
            @NotBlank(message = "set the issuer of the API's access tokens (DIGIADS_SECURITY_ISSUER_URI), e.g. "
                    + "https://cognito-idp.<region>.amazonaws.com/<user pool id>") String issuerUri,
            String jwkSetUri,
            @NotBlank String readScope,
            @NotBlank String writeScope,
            @Valid WriteRate writeRate,
            @Positive int verifiedTokens) {

        /**
         * A client (a token's subject) may write {@code perSecond} times a second on average, {@code burst} at once.
         *
         * @param perSecond writes a second on average
         * @param burst     writes at once
         */
        public record WriteRate(@Positive long perSecond, @Positive long burst) {
        }
    }
}
