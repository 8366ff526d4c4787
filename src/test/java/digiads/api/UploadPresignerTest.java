package digiads.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import digiads.DigiadsProperties;
import digiads.aws.AwsClients;
import digiads.events.ImageKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.util.UriUtils;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Presigned uploads: what is signed, for how long, where, and the requests that get none. */
class UploadPresignerTest {

    private static final long MAX = 15 * 1024 * 1024;

    private final DigiadsProperties properties = new DigiadsProperties(
            new DigiadsProperties.Aws("us-east-1", "", "", "", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                    Duration.ofSeconds(2), Duration.ofSeconds(5), 10, null),
            new DigiadsProperties.S3("digiads-images", "images/"), null,
            new DigiadsProperties.Upload(MAX, 16384, Duration.ofMinutes(5)), null, null, null);
    private final S3Presigner s3Presigner = new AwsClients(properties).s3Presigner("");
    private final UploadPresigner presigner = new UploadPresigner(s3Presigner,
            new ImageRequests(new ImageKeys("digiads-images", "images/"), properties), new ObjectMapper(), properties);

    @AfterEach
    void close() {
        s3Presigner.close();
    }

    @Test
    void aPutOfTheImageKeyWithTypeAndLengthSignedForFiveMinutes() {
        Instant before = Instant.now();
        PresignedUpload upload = presigner.presign(new UploadRequest("beach/sunset 1.jpg", "image/jpeg", 2048L));

        assertThat(upload.imageId()).isEqualTo("beach/sunset 1.jpg");
        assertThat(upload.bucket()).isEqualTo("digiads-images");
        assertThat(upload.key()).isEqualTo("images/beach/sunset 1.jpg");
        assertThat(upload.method()).isEqualTo("PUT");
        assertThat(upload.headers()).containsExactly(Map.entry("Content-Type", "image/jpeg"),
                Map.entry("Content-Length", "2048"));
        URI url = URI.create(upload.url());
        assertThat(url.getScheme()).isEqualTo("https");
        assertThat(url.getHost()).isEqualTo("digiads-images.s3.amazonaws.com");
        assertThat(url.getPath()).isEqualTo("/images/beach/sunset 1.jpg");
        Map<String, String> query = query(url);
        assertThat(query.get("X-Amz-Expires")).isEqualTo("300");
        assertThat(query.get("X-Amz-SignedHeaders").split(";")).contains("content-length", "content-type", "host");
        assertThat(query.get("X-Amz-Credential")).startsWith("AKIDEXAMPLE/").contains("/us-east-1/s3/aws4_request");
        assertThat(upload.expiresAt()).isBetween(before.plusSeconds(299), Instant.now().plusSeconds(300));
    }

    @Test
    void withAnEndpointOverrideTheUrlIsPathStyleOnThatEndpoint() {
        DigiadsProperties emulated = new DigiadsProperties(
                new DigiadsProperties.Aws("us-east-1", "http://moto:4566", "", "", "test", "test",
                        Duration.ofSeconds(2), Duration.ofSeconds(5), 10, null),
                properties.s3(), null, properties.upload(), null, null, null);
        try (S3Presigner local = new AwsClients(emulated).s3Presigner("")) {
            UploadPresigner presigner = new UploadPresigner(local,
                    new ImageRequests(new ImageKeys("digiads-images", "images/"), emulated), new ObjectMapper(), emulated);

            URI url = URI.create(presigner.presign(new UploadRequest("a.jpg", "image/jpeg", 5L)).url());

            assertThat(url.getScheme() + "://" + url.getAuthority() + url.getPath())
                    .isEqualTo("http://moto:4566/digiads-images/images/a.jpg");
        }
    }

    @Test
    void theSignatureCoversTheLength() {
        String[] signatures;
        do { // three URLs signed within the same second (X-Amz-Date), so only the length differs
            signatures = new String[] {
                    presigner.presign(new UploadRequest("same.jpg", "image/jpeg", 100L)).url(),
                    presigner.presign(new UploadRequest("same.jpg", "image/jpeg", 100L)).url(),
                    presigner.presign(new UploadRequest("same.jpg", "image/jpeg", 101L)).url()};
        } while (Arrays.stream(signatures).map(u -> query(URI.create(u)).get("X-Amz-Date")).distinct().count() > 1);
        String[] signed = Arrays.stream(signatures).map(u -> query(URI.create(u)).get("X-Amz-Signature"))
                .toArray(String[]::new);

        assertThat(signed[1]).isEqualTo(signed[0]);
        assertThat(signed[2]).isNotEqualTo(signed[0]);
    }

    @Test
    void withoutANameAUniqueOneWithTheTypesExtension() {
        PresignedUpload first = presigner.presign(new UploadRequest(null, "image/png", 10L));
        PresignedUpload second = presigner.presign(new UploadRequest("", "image/png", 10L));

        assertThat(first.imageId()).endsWith(".png").isNotEqualTo(second.imageId());
        assertThat(first.key()).isEqualTo("images/" + first.imageId());
    }

    @Test
    void requestsThatGetNoUrl() {
        assertRefused(new UploadRequest("a.txt", "text/plain", 10L), 415, "unsupported_media_type");
        assertRefused(new UploadRequest("a.jpg", null, 10L), 415, "unsupported_media_type");
        assertRefused(new UploadRequest("a.jpg", "image/jpeg", null), 400, "bad_request");
        assertRefused(new UploadRequest("a.jpg", "image/jpeg", 0L), 400, "bad_request");
        assertRefused(new UploadRequest("a.jpg", "image/jpeg", -1L), 400, "bad_request");
        assertRefused(new UploadRequest("a.jpg", "image/jpeg", MAX + 1), 413, "payload_too_large");
        assertRefused(new UploadRequest("a\u0000b.jpg", "image/jpeg", 10L), 400, "bad_request");
        assertRefused(new UploadRequest("x".repeat(1100), "image/jpeg", 10L), 400, "bad_request");
        assertRefused(new UploadRequest("a.jpg", "image/jpeg\r\nx-amz-acl: public-read", 10L), 400, "bad_request");
        assertThat(presigner.presign(new UploadRequest("max.jpg", "image/jpeg", MAX)).headers())
                .containsEntry("Content-Length", Long.toString(MAX));
    }

    @Test
    void theRequestIsAJsonObjectOfLimitedSize() {
        assertThat(presigner.request("{\"name\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"contentLength\":5}"
                .getBytes(StandardCharsets.UTF_8))).isEqualTo(new UploadRequest("a.jpg", "image/jpeg", 5L));
        for (String bad : new String[] {"", "null", "[]", "{", "\"a\"", "{\"contentLength\":\"many\"}",
                "{\"contentLength\":\"12\"}", "{\"contentLength\":12.5}", "{\"contentType\":7}"}) {
            assertThatThrownBy(() -> presigner.request(bad.getBytes(StandardCharsets.UTF_8))).as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
        assertThatThrownBy(() -> presigner.request(new byte[16385]))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(413));
    }

    private void assertRefused(UploadRequest request, int status, String error) {
        assertThatThrownBy(() -> presigner.presign(request)).as(request.toString())
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.error()).isEqualTo(error);
                });
    }

    private static Map<String, String> query(URI url) {
        return Arrays.stream(url.getRawQuery().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> UriUtils.decode(p[1], StandardCharsets.UTF_8)));
    }
}
