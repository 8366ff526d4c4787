package digiads.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import digiads.DigiadsProperties;
import digiads.events.ImageKeys;
import org.apache.camel.converter.stream.InputStreamCache;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** What the images API accepts as image ids and uploads, and the status of each refusal. */
class ImageRequestsTest {

    private final ImageRequests requests = new ImageRequests(new ImageKeys("digiads-images", "images/"),
            new DigiadsProperties(null, null, null, new DigiadsProperties.Upload(100, 1000, java.time.Duration.ofMinutes(5)), null, null, null));

    private static void refused(ThrowingCallable call, int status, String error, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.error()).isEqualTo(error);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void aPathSegmentIsPercentDecodedWithSlashesAndPlusesKept() {
        assertThat(requests.imageId("a%2Fb%20c+%C3%BC.jpg")).isEqualTo("a/b c+ü.jpg");
        assertThat(requests.ref("a%2Fb.jpg")).isEqualTo(new ImageRef("a/b.jpg", "digiads-images", "images/a/b.jpg"));
    }

    @Test
    void anIdNoImageCanHaveIsNotFound() {
        refused(() -> requests.imageId("bad%ZZ"), 404, "not_found",
                "no image 'bad%ZZ': the id is not validly percent-encoded");
        refused(() -> requests.imageId(null), 404, "not_found", "no image '': imageId must not be empty");
        refused(() -> requests.imageId("%20"), 404, "not_found", "no image ' ': imageId must not be empty");
        refused(() -> requests.imageId("a%00b"), 404, "not_found",
                "no image 'a\u0000b': imageId must not contain control characters");
        refused(() -> requests.imageId("a%2F..%2Fb"), 404, "not_found",
                "no image 'a/../b': imageId must not have an empty, '.' or '..' path segment");
        refused(() -> requests.ref("%2F"), 404, "not_found",
                "no image '/': imageId must not have an empty, '.' or '..' path segment");
    }

    @Test
    void onlyImagesUpToTheLimitAreAccepted() {
        requests.checkUpload("image/png", 100L);
        requests.checkUpload("IMAGE/JPEG; charset=binary", null);
        refused(() -> requests.checkUpload("text/plain", 10L), 415, "unsupported_media_type",
                "send the image itself with Content-Type image/* (got text/plain)");
        refused(() -> requests.checkUpload(null, 10L), 415, "unsupported_media_type",
                "send the image itself with Content-Type image/* (got none)");
        refused(() -> requests.checkUpload("image/png", 101L), 413, "payload_too_large",
                "the image has 101 bytes; at most 100 are accepted");
    }

    @Test
    void theBodyMustHoldBetweenOneByteAndTheLimit() {
        assertThat(requests.size(new InputStreamCache(new byte[100]))).isEqualTo(100);
        assertThat(requests.size(new InputStreamCache(new byte[1]))).isEqualTo(1);
        refused(() -> requests.size(null), 400, "bad_request", "the request body is empty: send the image bytes");
        refused(() -> requests.size(new InputStreamCache(new byte[0])), 400, "bad_request",
                "the request body is empty: send the image bytes");
        refused(() -> requests.size(new InputStreamCache(new byte[101])), 413, "payload_too_large",
                "the image has more than 100 bytes; at most 100 are accepted");
    }

    @Test
    void aDeclaredSizeMustBeBetweenOneByteAndTheLimit() {
        requests.checkSize(1);
        requests.checkSize(100);
        refused(() -> requests.checkSize(0), 400, "bad_request", "the image is empty: it needs at least one byte");
        refused(() -> requests.checkSize(-1), 400, "bad_request", "the image is empty: it needs at least one byte");
        refused(() -> requests.checkSize(101), 413, "payload_too_large",
                "the image has 101 bytes; at most 100 are accepted");
    }

    @Test
    void anUploadGoesUnderItsNameOrAGeneratedOneWithTheExtensionOfItsType() {
        assertThat(requests.target("a/b.jpg", "image/jpeg"))
                .isEqualTo(new ImageRef("a/b.jpg", "digiads-images", "images/a/b.jpg"));

        ImageRef png = requests.target(null, "image/png; q=1");
        assertThat(png.imageId()).matches("[0-9a-f-]{36}\\.png");
        assertThat(png.key()).isEqualTo("images/" + png.imageId());
        assertThat(png.bucket()).isEqualTo("digiads-images");
        assertThat(requests.target(" ", "image/x-unknown").imageId()).matches("[0-9a-f-]{36}");
        assertThat(requests.target("", null).imageId()).matches("[0-9a-f-]{36}");

        refused(() -> requests.target("a/./b.jpg", "image/jpeg"), 400, "bad_request",
                "imageId must not have an empty, '.' or '..' path segment");
        refused(() -> requests.target("a\tb.jpg", "image/jpeg"), 400, "bad_request",
                "imageId must not contain control characters");
    }

    @Test
    void theMediaTypeIsWhatComesBeforeTheFirstSemicolon() {
        refused(() -> requests.checkUpload(";image/png", 1L), 415, "unsupported_media_type",
                "send the image itself with Content-Type image/* (got none)");
    }
}
