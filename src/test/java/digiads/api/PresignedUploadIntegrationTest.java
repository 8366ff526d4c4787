package digiads.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.local.LocalIssuer;
import org.junit.jupiter.api.Test;

/**
 * Presigned uploads end to end against moto: ask for a URL, PUT the bytes to S3 with the signed headers,
 * and the pipeline labels the image. moto does not check signatures (nor the signed type and length):
 * that they are signed is {@link UploadPresignerTest}'s to prove.
 */
class PresignedUploadIntegrationTest extends MotoTestSupport {

    private HttpResponse<String> presign(String json) {
        return send(HttpRequest.newBuilder(uri("/api/images/uploads")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    @Test
    void theClientPutsTheImageStraightToS3AndThePipelineLabelsIt() {
        byte[] image = TestImages.jpeg();
        HttpResponse<String> response = presign("""
                {"name": "presigned/beach 1.jpg", "contentType": "image/jpeg", "contentLength": %d}
                """.formatted(image.length));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode upload = body(response);
        assertThat(upload.path("imageId").asText()).isEqualTo("presigned/beach 1.jpg");
        assertThat(upload.path("key").asText()).isEqualTo("images/presigned/beach 1.jpg");
        assertThat(upload.path("method").asText()).isEqualTo("PUT");
        assertThat(upload.path("expiresAt").asText()).isNotBlank();

        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.path("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(image)); // Content-Length: the body's, as signed
        upload.path("headers").fields().forEachRemaining(h -> {
            if (!h.getKey().equalsIgnoreCase("Content-Length")) {
                put.header(h.getKey(), h.getValue().asText());
            }
        });
        assertThat(upload.path("headers").path("Content-Length").asLong()).isEqualTo(image.length);
        assertThat(sendAsIs(put.build()).statusCode()).isEqualTo(200);

        assertThat(awaitMetadata("presigned/beach 1.jpg").path("status").asText()).isEqualTo("LABELED");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("images/presigned/beach 1.jpg")).asByteArray())
                .isEqualTo(image);
    }

    @Test
    void requestsThatGetNoUrlAreJsonErrors() {
        assertError(presign("{\"contentType\": \"text/plain\", \"contentLength\": 10}"), 415, "unsupported_media_type");
        assertError(presign("{\"contentType\": \"image/png\", \"contentLength\": 15728641}"), 413, "payload_too_large");
        assertError(presign("{\"contentType\": \"image/png\", \"contentLength\": 0}"), 400, "bad_request");
        assertError(presign("{\"contentType\": \"image/png\"}"), 400, "bad_request");
        assertError(presign("{\"name\": \"" + "x".repeat(1100) + "\", \"contentType\": \"image/png\", \"contentLength\": 5}"),
                400, "bad_request");
        assertError(presign("{not json"), 400, "bad_request");
        assertError(presign(""), 400, "bad_request");
        assertError(presign("{\"name\": \"" + "x".repeat(20_000) + "\"}"), 413, "payload_too_large");
    }

    @Test
    void aReaderMayNotUpload() {
        HttpResponse<String> response = send(as(LocalIssuer.Client.READER,
                HttpRequest.newBuilder(uri("/api/images/uploads")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"contentType\": \"image/png\", \"contentLength\": 5}"))));

        assertError(response, 403, "forbidden");
    }

    private void assertError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        assertThat(body(response).path("error").asText()).isEqualTo(error);
        assertThat(body(response).path("message").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
    }
}
