package digiads.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.MotoTestSupport;
import digiads.local.LocalIssuer;
import digiads.metadata.ImageMetadata;
import digiads.metadata.Label;
import digiads.metadata.MetadataStatus;
import digiads.metadata.ModerationLabel;
import digiads.metadata.OlderStateException;
import digiads.metadata.StateWriter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Find images by label over the API: newest first, case-insensitive, paginated with the cursor, filtered
 * by confidence, unsafe images marked; the label list with counts; a deleted image leaves both; bad
 * input answered with JSON errors; the read scope required. States are written through the store-state
 * bean ({@link StateWriter}) with crafted order tokens; each test uses labels of its own.
 */
class SearchApiIntegrationTest extends MotoTestSupport {

    @Autowired
    StateWriter states;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String zebra = "Zebra " + run;

    void label(String imageId, String token, Instant at, List<ModerationLabel> moderation, Label... labels) {
        states.write(new ImageMetadata(1, 0, imageId, BUCKET, PREFIX + imageId, "e-" + token, 10, "image/jpeg",
                MetadataStatus.LABELED, null, List.of(labels), "3.0", moderation, moderation == null ? null : "7.0",
                at, null, token), null, null);
    }

    HttpResponse<String> find(String query) {
        return get("/api/images?" + query);
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void imagesOfALabelNewestFirstPageByPageWithUnsafeOnesMarked() {
        Instant t = Instant.parse("2026-03-01T00:00:00Z");
        for (int i = 0; i < 5; i++) {
            label("search/" + run + "/" + i + ".jpg", "T" + (100 + i), t.plusSeconds(i),
                    i == 3 ? List.of(new ModerationLabel("Graphic Violence", "Violence", 2, 90)) : List.of(),
                    new Label(zebra, 80 + i, List.of()), new Label("Grass " + run, 75, List.of()));
        }

        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> response = find("label=" + q(zebra.toUpperCase()) + "&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode page = body(response);
            assertThat(page.path("label").asText()).isEqualTo(zebra.toLowerCase());
            assertThat(page.path("images").size()).isLessThanOrEqualTo(2);
            for (JsonNode hit : page.path("images")) {
                ids.add(hit.path("imageId").asText());
                assertThat(hit.path("label").asText()).isEqualTo(zebra);
                boolean unsafe = hit.path("imageId").asText().endsWith("/3.jpg");
                assertThat(hit.path("unsafe").asBoolean()).isEqualTo(unsafe);
                assertThat(hit.path("verdict").asText()).isEqualTo(unsafe ? "UNSAFE" : "SAFE");
            }
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
            pages++;
        } while (cursor != null);
        assertThat(ids).containsExactly("search/" + run + "/4.jpg", "search/" + run + "/3.jpg", "search/" + run + "/2.jpg",
                "search/" + run + "/1.jpg", "search/" + run + "/0.jpg");
        assertThat(pages).isBetween(3, 4);

        JsonNode confident = body(find("label=" + q(zebra) + "&minConfidence=82.5"));
        assertThat(confident.path("images").findValuesAsText("imageId"))
                .containsExactly("search/" + run + "/4.jpg", "search/" + run + "/3.jpg");
        JsonNode first = body(find("label=" + q(zebra))).path("images").get(0);
        assertThat(first.path("confidence").asDouble()).isEqualTo(84.0);
        assertThat(first.path("labeledAt").asText()).isEqualTo("2026-03-01T00:00:04Z");
    }

    @Test
    void theLabelListCountsImagesAndADeletedOrRelabeledImageLeavesTheIndex() {
        String a = "search/" + run + "/a.jpg";
        String b = "search/" + run + "/b.jpg";
        Instant t = Instant.parse("2026-03-02T00:00:00Z");
        label(a, "T1", t, null, new Label(zebra, 90, List.of()));
        label(b, "T1", t, null, new Label(zebra.toLowerCase(), 90, List.of()), new Label("Okapi " + run, 90, List.of()));
        assertThat(labelCount(zebra.toLowerCase())).isEqualTo(2);
        assertThat(labelCount("okapi " + run)).isEqualTo(1);

        states.write(ImageMetadata.deleted(a, BUCKET, PREFIX + a, "T2"), null, null);
        label(b, "T2", t.plusSeconds(1), null, new Label("Okapi " + run, 91, List.of()));
        // an older state arriving late changes nothing
        assertThatThrownBy(() -> label(a, "T0", t, null, new Label(zebra, 99, List.of())))
                .isInstanceOf(OlderStateException.class);

        assertThat(body(find("label=" + q(zebra))).path("images").size()).isZero();
        assertThat(labelCount(zebra.toLowerCase())).as("no image carries it").isNull();
        assertThat(body(find("label=" + q("okapi " + run))).path("images").findValuesAsText("imageId")).containsExactly(b);
    }

    /** The label's count in the list, paging through every label; null when it is not listed. */
    Integer labelCount(String label) {
        String cursor = null;
        Integer found = null;
        do {
            HttpResponse<String> response = get("/api/labels?limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode page = body(response);
            for (JsonNode entry : page.path("labels")) {
                assertThat(entry.path("images").asLong()).isPositive();
                if (entry.path("label").asText().equals(label)) {
                    found = entry.path("images").asInt();
                }
            }
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return found;
    }

    @Test
    void anUnknownLabelIsAnEmptyPage() {
        HttpResponse<String> response = find("label=" + q("no such label " + run));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response).path("images").isArray()).isTrue();
        assertThat(body(response).path("images").size()).isZero();
        assertThat(body(response).has("nextCursor")).isFalse();
    }

    @Test
    void badInputIsA400WithAJsonError() {
        String otherLabelsCursor = body(find("label=cat&limit=1")).path("nextCursor").asText(
                digiads.labels.SearchCursor.start("cat").encode());
        for (String query : List.of("", "label=", "label=dog&cursor=not-a-cursor", "label=dog&cursor=" + otherLabelsCursor,
                "label=dog&limit=101", "label=dog&limit=0", "label=dog&limit=x", "label=dog&minConfidence=abc",
                "label=dog&minConfidence=101", "label=" + "x".repeat(201))) {
            HttpResponse<String> response = find(query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as(query).startsWith("application/json");
            assertThat(body(response).path("error").asText()).as(query).isEqualTo("bad_request");
            assertThat(body(response).path("message").asText()).as(query).isNotBlank();
        }
        for (String query : List.of("limit=101", "cursor=xyz")) {
            HttpResponse<String> response = get("/api/labels?" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(body(response).path("error").asText()).isEqualTo("bad_request");
        }
    }

    @Test
    void searchingNeedsTheReadScope() {
        for (String path : List.of("/api/images?label=dog", "/api/labels")) {
            HttpResponse<String> writer = send(as(LocalIssuer.Client.WRITER, HttpRequest.newBuilder(uri(path)).GET()));
            assertThat(writer.statusCode()).as(path).isEqualTo(403);
            assertThat(body(writer).path("message").asText()).contains("digiads/images.read");
            HttpResponse<String> nobody = sendAsIs(HttpRequest.newBuilder(uri(path)).GET().build());
            assertThat(nobody.statusCode()).as(path).isEqualTo(401);
            HttpResponse<String> reader = send(as(LocalIssuer.Client.READER, HttpRequest.newBuilder(uri(path)).GET()));
            assertThat(reader.statusCode()).as(path).isEqualTo(200);
        }
    }
}
