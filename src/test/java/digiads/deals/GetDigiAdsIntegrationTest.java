package digiads.deals;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import com.github.tomakehurst.wiremock.client.WireMock;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.global.GlobalSettings;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import digiads.MotoTestSupport;
import digiads.local.LocalIssuer;
import digiads.local.DealsStandIn;
import digiads.metadata.ImageFormat;
import digiads.metadata.ImageMetadata;
import digiads.metadata.Label;
import digiads.metadata.MetadataItemMapper;
import digiads.metadata.ProbedImage;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * getDigiAds against moto (metadata) and WireMock playing the Deals API: every way the Deals API
 * can misbehave ends in a 200 with the deals that could be had and a status that says so.
 */
class GetDigiAdsIntegrationTest extends MotoTestSupport {

    private final WireMockServer deals = DealsStandIn.shared();

    @Autowired
    MetadataItemMapper mapper;
    @Autowired
    DealsCache cache;
    @Autowired
    CircuitBreaker dealsCircuitBreaker;

    private static boolean warm;

    @BeforeEach
    void healthyDealsApiAndAClosedBreaker() {
        if (!warm) {
            // The first Deals call of a JVM loads the HTTP client and may miss the test's 500 ms budget.
            labeled("warm-up.jpg", "Warm-up");
            digiads("warm-up.jpg");
            warm = true;
        }
        deals.resetAll();
        deals.updateGlobalSettings(GlobalSettings.defaults());
        cache.clear();
        dealsCircuitBreaker.reset();
    }

    /** Stores metadata with these labels (confidence descending in the order given). */
    private void labeled(String imageId, String... labels) {
        List<Label> list = new java.util.ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            list.add(new Label(labels[i], 99f - i * 5, List.of()));
        }
        ProbedImage image = new ProbedImage(imageId, BUCKET, PREFIX + imageId, false, "etag", 1000, ImageFormat.JPEG, null);
        dynamo.putItem(b -> b.tableName(TABLE).item(mapper.toItem(ImageMetadata.labeled(image, list, "3.0", new digiads.metadata.Moderation(List.of(), "7.0"), Instant.now()))));
    }

    private JsonNode digiads(String imageId) {
        HttpResponse<String> response = get("/api/images/" + segment(imageId) + "/digiads");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return body(response);
    }

    private static List<String> texts(JsonNode array, String field) {
        return array.findValues(field).stream().map(JsonNode::asText).toList();
    }

    private void failFor(String label, int status) {
        deals.stubFor(WireMock.get(urlPathEqualTo("/deals")).atPriority(1).withQueryParam("q", equalTo(label))
                .willReturn(aResponse().withStatus(status).withBody("<html><body>oops</body></html>")));
    }

    private void failAll(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
        deals.stubFor(WireMock.get(urlPathEqualTo("/deals")).atPriority(1).willReturn(response));
    }

    @Test
    void healthyDealsForTheTopThreeLabelsRankedByConfidence() {
        labeled("healthy.jpg", "Beach", "Sea", "Sunglasses", "Person");

        HttpResponse<String> response = send(as(LocalIssuer.Client.READER,
                HttpRequest.newBuilder(uri("/api/images/healthy.jpg/digiads")).header("Cookie", "session=abc").GET()));
        JsonNode ads = body(response);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ads.path("imageId").asText()).isEqualTo("healthy.jpg");
        assertThat(ads.path("dealsStatus").asText()).isEqualTo("LIVE");
        assertThat(ads.path("degraded").asBoolean()).isFalse();
        assertThat(texts(ads.path("labels"), "name")).containsExactly("Beach", "Sea", "Sunglasses", "Person");
        assertThat(ads.path("deals")).hasSize(9);
        assertThat(texts(ads.path("deals"), "label")).containsExactly(
                "Beach", "Beach", "Beach", "Sea", "Sea", "Sea", "Sunglasses", "Sunglasses", "Sunglasses");
        assertThat(ads.path("deals").get(0).path("title").asText()).isEqualTo("Beach: everyday pick");
        assertThat(ads.path("deals").get(0).path("price").decimalValue()).isPositive();

        deals.verify(3, getRequestedFor(urlPathEqualTo("/deals")).withHeader("X-Api-Key", equalTo("test-key")));
        deals.verify(getRequestedFor(urlPathEqualTo("/deals")).withQueryParam("q", equalTo("Sunglasses"))
                .withQueryParam("limit", equalTo("5")));
        assertThat(deals.getAllServeEvents()).allSatisfy(e -> {
            assertThat(e.getRequest().containsHeader("Authorization")).as("client credentials stay with us").isFalse();
            assertThat(e.getRequest().containsHeader("Cookie")).isFalse();
        });
    }

    @Test
    void lookupsForTheThreeLabelsRunConcurrently() {
        labeled("parallel.jpg", "Beach", "Sea", "Sunglasses");
        deals.updateGlobalSettings(GlobalSettings.builder().fixedDelay(300).build());

        assertThat(digiads("parallel.jpg").path("dealsStatus").asText()).isEqualTo("LIVE");

        // Each request was received before the others had been answered: the three were in flight together.
        List<ServeEvent> events = deals.getAllServeEvents();
        assertThat(events).hasSize(3);
        for (ServeEvent a : events) {
            for (ServeEvent b : events) {
                long aStart = a.getRequest().getLoggedDate().getTime();
                long bStart = b.getRequest().getLoggedDate().getTime();
                long aEnd = aStart + a.getTiming().getTotalTime();
                assertThat(bStart).as("lookups overlap").isLessThan(aEnd);
                assertThat(aStart).isLessThan(bStart + b.getTiming().getTotalTime());
            }
        }
    }

    @Test
    void oneLabelFailingGivesPartialDeals() {
        labeled("partial.jpg", "Beach", "Sea", "Sunglasses");
        failFor("Sea", 500);

        JsonNode ads = digiads("partial.jpg");

        assertThat(ads.path("dealsStatus").asText()).isEqualTo("PARTIAL");
        assertThat(ads.path("degraded").asBoolean()).isTrue();
        assertThat(texts(ads.path("deals"), "label")).containsOnly("Beach", "Sunglasses").hasSize(6);
    }

    @Test
    void everythingFailingWithNothingCachedIsUnavailableButStill200() {
        labeled("unavailable.jpg", "Beach", "Sea", "Sunglasses");
        failAll(aResponse().withStatus(503));

        JsonNode ads = digiads("unavailable.jpg");

        assertThat(ads.path("dealsStatus").asText()).isEqualTo("UNAVAILABLE");
        assertThat(ads.path("degraded").asBoolean()).isTrue();
        assertThat(ads.path("deals")).isEmpty();
        assertThat(ads.path("labels")).hasSize(3);
    }

    @Test
    void everythingFailingWithDealsCachedServesTheCache() {
        labeled("cached.jpg", "Beach", "Sea", "Sunglasses");
        assertThat(digiads("cached.jpg").path("dealsStatus").asText()).isEqualTo("LIVE");
        // fresh-for is 1 s in tests: wait until no label is fresh any more, so the next request asks the Deals API
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> List.of("Beach", "Sea", "Sunglasses").stream().allMatch(label -> cache.fresh(label) == null));
        failAll(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        JsonNode ads = digiads("cached.jpg");

        assertThat(ads.path("dealsStatus").asText()).isEqualTo("CACHED");
        assertThat(ads.path("degraded").asBoolean()).isTrue();
        assertThat(ads.path("deals")).hasSize(9);
    }

    @Test
    void freshCachedDealsAreServedLiveWithoutCallingTheDealsApi() {
        labeled("fresh.jpg", "Beach", "Sea", "Sunglasses");
        digiads("fresh.jpg");
        deals.resetRequests();

        JsonNode ads = digiads("fresh.jpg");

        assertThat(ads.path("dealsStatus").asText()).isEqualTo("LIVE");
        assertThat(ads.path("deals")).hasSize(9);
        assertThat(deals.getAllServeEvents()).isEmpty();
    }

    @Test
    void aHangingDealsApiIsCutAtTheBudgetAndItsCallsTimeOut() {
        labeled("hanging.jpg", "Beach", "Sea", "Sunglasses");
        failAll(aResponse().withFixedDelay(10_000).withStatus(200).withBody("{\"deals\":[]}"));

        long started = System.nanoTime();
        JsonNode ads = digiads("hanging.jpg");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(ads.path("dealsStatus").asText()).isEqualTo("UNAVAILABLE");
        assertThat(ads.path("degraded").asBoolean()).isTrue();
        assertThat(took).as("answered at the budget, not after the Deals API's 10 s").isLessThan(Duration.ofSeconds(5));
        // The dropped calls end at the HTTP client's response timeout and count as failures.
        await().atMost(Duration.ofSeconds(10)).until(() -> dealsCircuitBreaker.getMetrics().getNumberOfFailedCalls() == 3);
    }

    @Test
    void garbageFromTheDealsApiCountsAsAFailure() {
        labeled("garbage.jpg", "Beach", "Sea", "Sunglasses");
        failFor("Beach", 200);  // an HTML page with status 200
        deals.stubFor(WireMock.get(urlPathEqualTo("/deals")).atPriority(1).withQueryParam("q", equalTo("Sea"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"deals\":[{\"id\":")));
        deals.stubFor(WireMock.get(urlPathEqualTo("/deals")).atPriority(1).withQueryParam("q", equalTo("Sunglasses"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"deals\":[{\"id\":1,\"title\":\"t\",\"price\":\"free\"}]}")));

        JsonNode ads = digiads("garbage.jpg");

        assertThat(ads.path("dealsStatus").asText()).isEqualTo("UNAVAILABLE");
        assertThat(dealsCircuitBreaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(3);
    }

    @Test
    void afterEnoughFailuresTheBreakerOpensAndTheDealsApiIsLeftAloneThenItProbesAndRecovers() {
        labeled("breaker.jpg", "Beach", "Sea", "Sunglasses");
        failAll(aResponse().withStatus(500));

        digiads("breaker.jpg");
        digiads("breaker.jpg");
        assertThat(dealsCircuitBreaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        awaitNoCallInFlight();

        deals.resetRequests();
        JsonNode whileOpen = digiads("breaker.jpg");
        assertThat(whileOpen.path("dealsStatus").asText()).isEqualTo("UNAVAILABLE");
        assertThat(deals.getAllServeEvents()).as("an open breaker sends nothing to the Deals API").isEmpty();

        deals.resetAll();  // the Deals API is healthy again
        // wait-in-open-state is 2 s in tests: requests answer from the open breaker until it lets probes through
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> "LIVE".equals(digiads("breaker.jpg").path("dealsStatus").asText()));
        assertThat(dealsCircuitBreaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(deals.getAllServeEvents()).as("probes reached the Deals API").isNotEmpty();
    }

    /** Lookups dropped at the budget may still be on their way to the Deals API: wait until the journal is still. */
    private void awaitNoCallInFlight() {
        int[] last = {-1};
        await().pollInterval(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).until(() -> {
            int now = deals.getAllServeEvents().size();
            boolean still = now == last[0];
            last[0] = now;
            return still;
        });
    }

    @Test
    void aRejectedImageHasNoDealsAndNoLookups() {
        ProbedImage text = new ProbedImage("rejected.txt", BUCKET, PREFIX + "rejected.txt", false, "e", 5, ImageFormat.UNKNOWN, null);
        dynamo.putItem(b -> b.tableName(TABLE).item(mapper.toItem(ImageMetadata.rejected(text, "unsupported format", Instant.now()))));

        JsonNode ads = digiads("rejected.txt");

        assertThat(ads.path("deals")).isEmpty();
        assertThat(ads.path("reason").asText()).isEqualTo("image REJECTED: unsupported format");
        assertThat(ads.path("degraded").asBoolean()).isFalse();
        assertThat(deals.getAllServeEvents()).isEmpty();
    }

    @Test
    void unknownImageIs404AndSlashesInIdsWork() {
        HttpResponse<String> unknown = get("/api/images/nobody.jpg/digiads");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(body(unknown).path("error").asText()).isEqualTo("not_found");

        labeled("album/2026/a b.jpg", "Beach");
        HttpResponse<String> response = get("/api/images/album%2F2026%2Fa%20b.jpg/digiads");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response).path("imageId").asText()).isEqualTo("album/2026/a b.jpg");
        assertThat(Arrays.asList(texts(body(response).path("deals"), "label").toArray())).containsOnly("Beach");
    }
}
