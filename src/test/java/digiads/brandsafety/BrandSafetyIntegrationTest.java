package digiads.brandsafety;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import digiads.DigiadsProperties;
import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.deals.DealsCache;
import digiads.local.DealsStandIn;
import digiads.local.RekognitionStandIn;
import digiads.metadata.ImageFormat;
import digiads.metadata.ImageMetadata;
import digiads.metadata.Label;
import digiads.metadata.MetadataItemMapper;
import digiads.metadata.OrderTokens;
import digiads.metadata.ProbedImage;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Brand safety end to end: images put into moto's bucket, labeled through the pipeline, moderated by
 * the Rekognition stand-in on the real wire protocol (its labels follow the object's key), read
 * through the API with the Deals stand-in behind getDigiAds. Requests are counted in the stand-ins'
 * journals.
 */
class BrandSafetyIntegrationTest extends MotoTestSupport {

    private static final String DETECT_LABELS = "RekognitionService.DetectLabels";
    /**
     * A failed message comes back after its retry backoff (1 s, doubling, in the tests), well before the
     * events queue's 90 s visibility timeout; a hanging moderation call takes 10 s a receive.
     */
    private static final Duration REDELIVERY = Duration.ofSeconds(40);

    private final WireMockServer rekognition = RekognitionStandIn.shared();
    private final WireMockServer deals = DealsStandIn.shared();

    @Autowired
    DealsCache cache;
    @Autowired
    CircuitBreaker dealsCircuitBreaker;
    @Autowired
    MetadataItemMapper items;
    @Autowired
    DigiadsProperties properties;

    private static boolean warm;

    @BeforeEach
    void healthyDealsApi() {
        if (!warm) {
            // The first Deals call of a JVM loads the HTTP client and may miss the test's 500 ms budget.
            ProbedImage image = new ProbedImage("brand/warm-up.jpg", BUCKET, PREFIX + "brand/warm-up.jpg", false, "e",
                    1, ImageFormat.JPEG, null);
            dynamo.putItem(b -> b.tableName(TABLE).item(items.toItem(ImageMetadata.labeled(image,
                    List.of(new Label("Warm-up", 99f, List.of())), "3.0",
                    new digiads.metadata.Moderation(List.of(), "7.0"), Instant.now()))));
            digiads("brand/warm-up.jpg");
            warm = true;
        }
        deals.resetAll();
        cache.clear();
        dealsCircuitBreaker.reset();
    }

    /** The requests of one Rekognition operation about one image that reached the stand-in. */
    private int rekognitionRequests(String operation, String imageId) {
        return rekognition.findAll(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(operation))
                .withRequestBody(matchingJsonPath("$.Image.S3Object.Name", equalTo(PREFIX + imageId)))).size();
    }

    private int moderationRequests(String imageId) {
        return rekognitionRequests(RekognitionStandIn.DETECT_MODERATION_LABELS, imageId);
    }

    private int dealsRequests() {
        return deals.findAll(getRequestedFor(urlPathEqualTo("/deals"))).size();
    }

    private JsonNode digiads(String imageId) {
        HttpResponse<String> response = get("/api/images/" + segment(imageId) + "/digiads");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return body(response);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    @Test
    void aSafePhotoIsSafeAndGetsLiveDeals() {
        String imageId = "brand/beach.jpg";
        putObject(imageId, TestImages.photo("chelsea.jpg"), "image/jpeg");

        JsonNode metadata = awaitMetadata(imageId);

        assertThat(metadata.path("status").asText()).isEqualTo("LABELED");
        assertThat(metadata.path("moderationLabels").isArray()).isTrue();
        assertThat(metadata.path("moderationLabels")).as("nothing found").isEmpty();
        assertThat(metadata.path("moderationModelVersion").asText()).isEqualTo("7.0");
        assertThat(metadata.path("schemaMinor").asInt()).isEqualTo(1);
        assertThat(metadata.path("brandSafety").path("verdict").asText()).isEqualTo("SAFE");
        assertThat(metadata.path("brandSafety").path("categories")).isEmpty();
        assertThat(moderationRequests(imageId)).isEqualTo(1);
        assertThat(rekognitionRequests(DETECT_LABELS, imageId)).as("DetectLabels, passed on to moto").isEqualTo(1);

        JsonNode ads = digiads(imageId);

        assertThat(ads.path("dealsStatus").asText()).isEqualTo("LIVE");
        assertThat(ads.path("deals")).isNotEmpty();
        assertThat(ads.path("brandSafety").path("verdict").asText()).isEqualTo("SAFE");
        assertThat(ads.has("reason")).isFalse();
        assertThat(dealsRequests()).isPositive();
    }

    @Test
    void anUnsafeImageIsBlockedWithoutAnyDealsCall() {
        String imageId = "brand/unsafe-violence.jpg";
        putObject(imageId, TestImages.photo("chelsea.jpg"), "image/jpeg");

        JsonNode metadata = awaitMetadata(imageId);

        assertThat(metadata.path("brandSafety").path("verdict").asText()).isEqualTo("UNSAFE");
        assertThat(texts(metadata.path("brandSafety").path("categories"))).containsExactly("Violence");
        assertThat(metadata.path("moderationLabels").findValuesAsText("name"))
                .containsExactly("Violence", "Graphic Violence", "Weapon Violence");
        assertThat(metadata.path("moderationLabels").get(2).path("parentName").asText()).isEqualTo("Graphic Violence");
        assertThat(metadata.path("moderationLabels").get(2).path("taxonomyLevel").asInt()).isEqualTo(3);
        deals.resetRequests();

        JsonNode ads = digiads(imageId);

        assertThat(ads.path("deals")).isEmpty();
        assertThat(ads.path("dealsStatus").asText()).isEqualTo("BLOCKED");
        assertThat(ads.path("degraded").asBoolean()).isFalse();
        assertThat(ads.path("brandSafety").path("verdict").asText()).isEqualTo("UNSAFE");
        assertThat(texts(ads.path("brandSafety").path("categories"))).containsExactly("Violence");
        assertThat(ads.path("reason").asText()).isEqualTo("image UNSAFE: Violence");
        assertThat(ads.path("labels")).as("the labels are still the image's").isNotEmpty();
        assertThat(dealsRequests()).as("no Deals call for a blocked image").isZero();
    }

    @Test
    void aRestrictedImageGetsDealsAndTheAnswerNamesTheRestriction() {
        String imageId = "brand/alcohol.jpg";
        putObject(imageId, TestImages.photo("chelsea.jpg"), "image/jpeg");

        JsonNode metadata = awaitMetadata(imageId);

        assertThat(metadata.path("brandSafety").path("verdict").asText()).isEqualTo("RESTRICTED");
        assertThat(texts(metadata.path("brandSafety").path("categories"))).containsExactly("Alcohol");
        JsonNode ads = digiads(imageId);
        assertThat(ads.path("dealsStatus").asText()).isEqualTo("LIVE");
        assertThat(ads.path("deals")).isNotEmpty();
        assertThat(ads.path("brandSafety").path("verdict").asText()).isEqualTo("RESTRICTED");
        assertThat(texts(ads.path("brandSafety").path("categories"))).containsExactly("Alcohol");
        assertThat(dealsRequests()).isPositive();
    }

    @Test
    void labelsBelowThePolicysConfidenceAndCategoriesOutsideItLeaveAnImageSafe() {
        putObject("brand/borderline-violence.jpg", TestImages.photo("chelsea.jpg"), "image/jpeg");
        putObject("brand/swimwear.jpg", TestImages.photo("chelsea.jpg"), "image/jpeg");

        JsonNode borderline = awaitMetadata("brand/borderline-violence.jpg");
        JsonNode swimwear = awaitMetadata("brand/swimwear.jpg");

        assertThat(borderline.path("moderationLabels").get(0).path("confidence").asDouble()).isLessThan(60);
        assertThat(borderline.path("brandSafety").path("verdict").asText()).isEqualTo("SAFE");
        assertThat(swimwear.path("brandSafety").path("verdict").asText()).isEqualTo("SAFE");
        assertThat(digiads("brand/borderline-violence.jpg").path("dealsStatus").asText()).isEqualTo("LIVE");
    }

    /**
     * Rekognition throttling, failing (500) or hanging past the call limit: the calls are retried, then
     * the extraction fails and nothing is stored (no metadata, no deals, certainly not SAFE); the message
     * comes back after the visibility timeout, and once moderation answers the image is moderated.
     */
    @Test
    void aModerationFailureIsRetriedAndLeavesTheImageWithoutMetadataOrDealsUntilModerationAnswers() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String throttled = "brand/moderation-throttled-" + suffix + ".jpg";
        String failing = "brand/moderation-error-" + suffix + ".jpg";
        String hanging = "brand/moderation-hangs-" + suffix + ".jpg";
        int attempts = properties.rekognition().maxAttempts();
        List<String> all = List.of(throttled, failing, hanging);
        all.forEach(imageId -> putObject(imageId, TestImages.photo("chelsea.jpg"), "image/jpeg"));

        await("every attempt made").atMost(PIPELINE_TIMEOUT).untilAsserted(() -> {
            assertThat(moderationRequests(throttled)).isGreaterThanOrEqualTo(attempts);
            assertThat(moderationRequests(failing)).isGreaterThanOrEqualTo(attempts);
            assertThat(moderationRequests(hanging)).isPositive();
        });
        await("no metadata while moderation fails").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> all.stream().allMatch(imageId -> metadata(imageId).statusCode() == 404));
        for (String imageId : all) {
            assertThat(get("/api/images/" + segment(imageId) + "/digiads").statusCode()).as(imageId).isEqualTo(404);
        }

        // Rekognition recovers: the redelivered messages are labeled and moderated
        List<StubMapping> recovered = all.stream().map(imageId -> rekognition.stubFor(post(urlEqualTo("/")).atPriority(0)
                .withHeader("X-Amz-Target", equalTo(RekognitionStandIn.DETECT_MODERATION_LABELS))
                .withRequestBody(matchingJsonPath("$.Image.S3Object.Name", equalTo(PREFIX + imageId)))
                .willReturn(aResponse().withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"ModerationLabels\":[],\"ModerationModelVersion\":\"7.0\",\"ContentTypes\":[]}"))))
                .toList();
        try {
            await("moderated after the redelivery").atMost(REDELIVERY).pollInterval(Duration.ofMillis(500))
                    .until(() -> all.stream().allMatch(imageId -> metadata(imageId).statusCode() == 200));
            for (String imageId : all) {
                assertThat(awaitMetadata(imageId).path("brandSafety").path("verdict").asText()).isEqualTo("SAFE");
            }
        } finally {
            recovered.forEach(rekognition::removeStub);
        }
    }

    @Test
    void theSameContentAgainReusesTheStoredModerationWithoutASecondCall() {
        String imageId = "brand/uploaded-twice.jpg";
        putObject(imageId, TestImages.photo("chelsea.jpg"), "image/jpeg");
        awaitMetadata(imageId);
        String first = storedOrderToken(imageId);

        putObject(imageId, TestImages.photo("chelsea.jpg"), "image/jpeg");

        await("the second upload stored").atMost(PIPELINE_TIMEOUT).until(() -> !storedOrderToken(imageId).equals(first));
        assertThat(awaitMetadata(imageId).path("brandSafety").path("verdict").asText()).isEqualTo("SAFE");
        assertThat(moderationRequests(imageId)).isEqualTo(1);
        assertThat(rekognitionRequests(DETECT_LABELS, imageId)).isEqualTo(1);
    }

    @Test
    void labelsAnEarlierReleaseStoredForTheSameContentAreKeptAndOnlyModerationIsAsked() throws Exception {
        String imageId = "brand/labeled-before-moderation.jpg";
        byte[] jpeg = TestImages.photo("chelsea.jpg");
        String eTag = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(jpeg));
        storeAsAnEarlierReleaseDid(imageId, eTag);

        putObject(imageId, jpeg, "image/jpeg");

        await("moderated").atMost(PIPELINE_TIMEOUT).until(() -> awaitMetadata(imageId).has("moderationLabels"));
        JsonNode metadata = awaitMetadata(imageId);
        assertThat(metadata.path("labels").findValuesAsText("name")).containsExactly("Lighthouse");
        assertThat(metadata.path("brandSafety").path("verdict").asText()).isEqualTo("SAFE");
        assertThat(rekognitionRequests(DETECT_LABELS, imageId)).isZero();
        assertThat(moderationRequests(imageId)).isEqualTo(1);
    }

    @Test
    void metadataAnEarlierReleaseWroteHasNoVerdictAndGetsNoDeals() {
        String imageId = "brand/labeled-by-an-earlier-release.jpg";
        storeAsAnEarlierReleaseDid(imageId, "e-earlier");
        deals.resetRequests();

        JsonNode metadata = awaitMetadata(imageId);
        JsonNode ads = digiads(imageId);

        assertThat(metadata.path("brandSafety").path("verdict").asText()).isEqualTo("UNKNOWN");
        assertThat(metadata.has("moderationLabels")).isFalse();
        assertThat(ads.path("deals")).isEmpty();
        assertThat(ads.path("dealsStatus").asText()).isEqualTo("UNVERIFIED");
        assertThat(ads.path("degraded").asBoolean()).isTrue();
        assertThat(ads.path("brandSafety").path("verdict").asText()).isEqualTo("UNKNOWN");
        assertThat(dealsRequests()).isZero();
    }

    /** The item of a LABELED image as the release before moderation wrote it: schemaMinor 0, no moderation fields. */
    private void storeAsAnEarlierReleaseDid(String imageId, String eTag) {
        Instant when = Instant.now().minusSeconds(3600);
        ProbedImage image = new ProbedImage(imageId, BUCKET, PREFIX + imageId, false, eTag, TestImages.photo("chelsea.jpg").length,
                ImageFormat.JPEG, OrderTokens.of(null, when));
        var item = new java.util.HashMap<>(items.toItem(ImageMetadata.labeled(image,
                List.of(new Label("Lighthouse", 93f, List.of())), "3.0", null, when)));
        item.put("schemaMinor", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("0"));
        assertThat(item).doesNotContainKeys("moderationLabels", "moderationModelVersion");
        dynamo.putItem(b -> b.tableName(TABLE).item(item));
    }
}
