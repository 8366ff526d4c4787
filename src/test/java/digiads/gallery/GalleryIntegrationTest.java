package digiads.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.local.LocalIssuer;
import org.junit.jupiter.api.Test;

/**
 * The gallery on moto: GET /api/gallery lists labeled and rejected images newest first, with a
 * picture link that serves the image's bytes, and no deleted image; bad limits are 400; an image's
 * picture link is 404 without metadata; both need the read scope.
 */
class GalleryIntegrationTest extends MotoTestSupport {

    @Test
    void theGalleryListsImagesNewestFirstWithTheirPicturesAndNotDeletedOnes() throws Exception {
        String first = "gallery/first.jpg";
        String second = "gallery/second.gif";
        String deleted = "gallery/deleted.jpg";
        byte[] jpeg = TestImages.photo("chelsea.jpg");
        putObject(first, jpeg, "image/jpeg");
        awaitMetadata(first);
        putObject(second, TestImages.gif(), "image/gif");
        awaitMetadata(second);
        putObject(deleted, TestImages.jpeg(), "image/jpeg");
        awaitMetadata(deleted);
        s3.deleteObject(b -> b.bucket(BUCKET).key(PREFIX + deleted));
        awaitNoMetadata(deleted);

        HttpResponse<String> response = get("/api/gallery?limit=100");
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        body(response).get("images").forEach(image -> ids.add(image.get("imageId").asText()));
        assertThat(ids).doesNotContain(deleted);
        assertThat(ids.indexOf(second)).isNotNegative().isLessThan(ids.indexOf(first));

        JsonNode labeled = image(body(response), first);
        assertThat(labeled.get("status").asText()).isEqualTo("LABELED");
        assertThat(labeled.get("labels").size()).isBetween(1, Gallery.TOP_LABELS);
        assertThat(labeled.get("orderToken").asText()).isNotBlank();
        assertThat(image(body(response), second).get("reason").asText()).contains("image/gif");
        HttpResponse<byte[]> picture = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(labeled.get("pictureUrl").asText())).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(picture.statusCode()).isEqualTo(200);
        assertThat(picture.body()).isEqualTo(jpeg);

        assertThat(body(get("/api/gallery?limit=1")).get("images").size()).isEqualTo(1);
    }

    @Test
    void anImagesPictureLinkNeedsItsMetadata() throws Exception {
        String imageId = "gallery/a picture.png";
        putObject(imageId, TestImages.png(), "image/png");
        awaitMetadata(imageId);
        HttpResponse<String> found = get("/api/images/" + segment(imageId) + "/picture");
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(body(found).get("imageId").asText()).isEqualTo(imageId);
        assertThat(body(found).get("url").asText()).contains("X-Amz-Signature");
        assertThat(body(found).get("expiresAt").asText()).isNotBlank();

        HttpResponse<String> none = get("/api/images/" + segment("gallery/never.png") + "/picture");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(body(none).get("error").asText()).isEqualTo("not_found");
    }

    @Test
    void badLimitsAre400AndTheGalleryNeedsTheReadScope() {
        for (String limit : List.of("0", "101", "abc", "-1", "1.5")) {
            HttpResponse<String> response = get("/api/gallery?limit=" + limit);
            assertThat(response.statusCode()).as(limit).isEqualTo(400);
            assertThat(body(response).get("error").asText()).isEqualTo("bad_request");
        }
        assertThat(send(as(LocalIssuer.Client.WRITER, HttpRequest.newBuilder(uri("/api/gallery")).GET())).statusCode())
                .isEqualTo(403);
        assertThat(sendAsIs(HttpRequest.newBuilder(uri("/api/gallery")).GET().build()).statusCode()).isEqualTo(401);
    }

    private static JsonNode image(JsonNode page, String imageId) {
        for (JsonNode image : page.get("images")) {
            if (image.get("imageId").asText().equals(imageId)) {
                return image;
            }
        }
        throw new AssertionError(imageId + " not in the gallery: " + page);
    }
}
