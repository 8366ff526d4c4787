package digiads.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageKeysTest {

    private final ImageKeys keys = new ImageKeys("digiads-images", "images/");

    @Test
    void imageIdIsTheKeyWithoutThePrefix() {
        assertThat(keys.imageId("images/a/b c+ü.jpg")).contains("a/b c+ü.jpg");
        assertThat(keys.imageId("other/a.jpg")).isEmpty();
        assertThat(keys.imageId("images/")).isEmpty();
        assertThat(keys.key("a/b c+ü.jpg")).isEqualTo("images/a/b c+ü.jpg");
    }

    @Test
    void keysAreLimitedToWhatS3Accepts() {
        assertThat(keys.key("x".repeat(1024 - "images/".length()))).hasSize(1024);
        assertThatThrownBy(() -> keys.key("x".repeat(1024 - "images/".length() + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too long");
        // counted in bytes of UTF-8, not characters
        assertThatThrownBy(() -> keys.key("ü".repeat(510))).hasMessageContaining("too long");
        assertThatThrownBy(() -> keys.key("")).hasMessageContaining("empty");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"..", ".", "../x.jpg", "a/../b.jpg", "a/./b.jpg",
            "/x.jpg", "x/", "a//b.jpg", "/", "a/.."})
    void idsWithEmptyDotOrDotDotSegmentsNameNoKey(String imageId) {
        assertThatThrownBy(() -> keys.key(imageId)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("path segment");
    }

    @Test
    void dotsWithinNamesAreFine() {
        assertThat(keys.key("a.b/..c/d...jpg")).isEqualTo("images/a.b/..c/d...jpg");
    }
}
