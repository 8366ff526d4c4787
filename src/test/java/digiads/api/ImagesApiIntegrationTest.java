package digiads.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.MotoTestSupport;
import digiads.TestImages;
import org.junit.jupiter.api.Test;

/** The images REST API against moto: upload, getMetadata, delete, and every client error as JSON. */
class ImagesApiIntegrationTest extends MotoTestSupport {

    private HttpResponse<String> upload(String query, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/images" + query))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request);
    }

    @Test
    void uploadedImagesAreStoredUnderThePrefixAndLabeled() {
        HttpResponse<String> response = upload("?name=" + segment("uploads/my cat+dog.jpg"), "image/jpeg", TestImages.jpeg());

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode accepted = body(response);
        assertThat(accepted.path("imageId").asText()).isEqualTo("uploads/my cat+dog.jpg");
        assertThat(accepted.path("bucket").asText()).isEqualTo(BUCKET);
        assertThat(accepted.path("key").asText()).isEqualTo("images/uploads/my cat+dog.jpg");
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("images/uploads/my cat+dog.jpg")).contentLength())
                .isEqualTo(TestImages.jpeg().length);

        JsonNode metadata = awaitMetadata("uploads/my cat+dog.jpg");
        assertThat(metadata.path("status").asText()).isEqualTo("LABELED");
        assertThat(metadata.path("size").asLong()).isEqualTo(TestImages.jpeg().length);
    }

    @Test
    void withoutANameAUniqueOneIsGenerated() {
        JsonNode first = body(upload("", "image/png", TestImages.png()));
        JsonNode second = body(upload("", "image/png", TestImages.png()));

        assertThat(first.path("imageId").asText()).endsWith(".png").isNotEqualTo(second.path("imageId").asText());
        assertThat(awaitMetadata(first.path("imageId").asText()).path("contentType").asText()).isEqualTo("image/png");
    }

    @Test
    void deleteRemovesTheImageAndThenItsMetadata() {
        upload("?name=doomed%2Fone.jpg", "image/jpeg", TestImages.jpeg());
        awaitMetadata("doomed/one.jpg");

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/images/doomed%2Fone.jpg")).DELETE());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(body(response).path("key").asText()).isEqualTo("images/doomed/one.jpg");
        awaitNoMetadata("doomed/one.jpg");
    }

    @Test
    void unknownImageIs404Json() {
        HttpResponse<String> response = get("/api/images/" + segment("no such/image.jpg") + "/metadata");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(body(response).path("error").asText()).isEqualTo("not_found");
        assertThat(body(response).path("message").asText()).isEqualTo("no metadata for image 'no such/image.jpg'");
    }

    @Test
    void oversizedBodiesAre413() {
        HttpResponse<String> response = upload("", "image/jpeg", new byte[15 * 1024 * 1024 + 1]);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(body(response).path("error").asText()).isEqualTo("payload_too_large");
    }

    @Test
    void clientErrorsAreJsonWithTheRightStatus() {
        assertError(upload("", "text/plain", "hi".getBytes()), 415, "unsupported_media_type");
        assertError(upload("", null, TestImages.jpeg()), 415, "unsupported_media_type");
        assertError(upload("", "image/jpeg", new byte[0]), 400, "bad_request");
        assertError(upload("?name=" + segment("x".repeat(1100)), "image/jpeg", TestImages.jpeg()), 400, "bad_request");
        assertError(get("/api/images/" + segment("x".repeat(1100)) + "/metadata"), 404, "not_found");
        assertError(send(HttpRequest.newBuilder(uri("/api/images/" + segment("x".repeat(1100)))).DELETE()), 404, "not_found");
        // TRACE is refused by Tomcat itself, before any of our code: the status is right, the body is Tomcat's
        assertThat(send(HttpRequest.newBuilder(uri("/api/images")).method("TRACE", HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(405);
        assertError(send(HttpRequest.newBuilder(uri("/api/images")).PUT(HttpRequest.BodyPublishers.ofString("x"))),
                405, "method_not_allowed");
        assertError(get("/api/nothing-here"), 404, "not_found");
        assertError(get("/api/images/a%0Ab/metadata"), 404, "not_found");
        assertError(get("/api/images/%2E%2E%2Factuator/metadata"), 404, "not_found");
        assertThat(upload("?x%F3%89%AF%AD=%C2%AC&name=odd-params.jpg", "image/jpeg", TestImages.jpeg()).statusCode())
                .as("unknown parameters are ignored, whatever their names").isEqualTo(202);
        assertThat(get("/api/images/semi%3Bcolon.jpg/metadata").statusCode()).isEqualTo(404);
    }

    private void assertError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = body(response);
        assertThat(body.path("error").asText()).isEqualTo(error);
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(response.headers().map()).as("no request header is echoed")
                .doesNotContainKeys("user-agent", "name", "imageid", "imageId");
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
    }
}
