package digiads.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import digiads.TestImages;
import org.junit.jupiter.api.Test;

class ImageFormatTest {

    private static byte[] head(byte[] bytes) {
        return Arrays.copyOf(bytes, Math.min(bytes.length, ImageFormat.SNIFF_BYTES));
    }

    @Test
    void sniffsRealImages() {
        assertThat(ImageFormat.sniff(head(TestImages.jpeg()))).isEqualTo(ImageFormat.JPEG);
        assertThat(ImageFormat.sniff(head(TestImages.png()))).isEqualTo(ImageFormat.PNG);
        assertThat(ImageFormat.sniff(head(TestImages.gif()))).isEqualTo(ImageFormat.GIF);
    }

    @Test
    void sniffsOtherFormatsByTheirMagic() {
        assertThat(ImageFormat.sniff("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1))).isEqualTo(ImageFormat.WEBP);
        assertThat(ImageFormat.sniff("BM6\0\0\0".getBytes(StandardCharsets.ISO_8859_1))).isEqualTo(ImageFormat.BMP);
        assertThat(ImageFormat.sniff(new byte[] {'I', 'I', 42, 0, 8, 0})).isEqualTo(ImageFormat.TIFF);
        assertThat(ImageFormat.sniff(new byte[] {'M', 'M', 0, 42, 0, 0})).isEqualTo(ImageFormat.TIFF);
        assertThat(ImageFormat.sniff("\0\0\0\u0018ftypheic".getBytes(StandardCharsets.ISO_8859_1))).isEqualTo(ImageFormat.HEIC);
    }

    @Test
    void anythingElseIsUnknownAndNotLabelable() {
        assertThat(ImageFormat.sniff("hello, I am text".getBytes(StandardCharsets.UTF_8))).isEqualTo(ImageFormat.UNKNOWN);
        assertThat(ImageFormat.sniff(new byte[0])).isEqualTo(ImageFormat.UNKNOWN);
        assertThat(ImageFormat.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8})).isEqualTo(ImageFormat.UNKNOWN);
        assertThat(ImageFormat.sniff(null)).isEqualTo(ImageFormat.UNKNOWN);
        assertThat(ImageFormat.UNKNOWN.labelable()).isFalse();
        assertThat(ImageFormat.GIF.labelable()).isFalse();
        assertThat(ImageFormat.JPEG.labelable()).isTrue();
        assertThat(ImageFormat.PNG.labelable()).isTrue();
    }

    @Test
    void rejectionReasons() {
        long max = 15 * 1024 * 1024;
        assertThat(probe(ImageFormat.JPEG, 2048).rejection(max)).isEmpty();
        assertThat(probe(ImageFormat.PNG, max).rejection(max)).isEmpty();
        assertThat(probe(ImageFormat.JPEG, max + 1).rejection(max)).hasValueSatisfying(r -> assertThat(r).startsWith("image too large"));
        assertThat(probe(ImageFormat.UNKNOWN, 0).rejection(max)).contains("empty object");
        assertThat(probe(ImageFormat.GIF, 100).rejection(max)).hasValueSatisfying(r -> assertThat(r).contains("image/gif"));
        assertThat(probe(ImageFormat.UNKNOWN, 100).rejection(max)).hasValueSatisfying(r -> assertThat(r).startsWith("unsupported format"));
    }

    private static ProbedImage probe(ImageFormat format, long size) {
        return new ProbedImage("a.jpg", "b", "images/a.jpg", false, "e", size, format, null);
    }

    @Test
    void aHeadOfExactlyTheMagicIsEnough() {
        assertThat(ImageFormat.sniff(new byte[] {'I', 'I', 42, 0})).isEqualTo(ImageFormat.TIFF);
        assertThat(ImageFormat.sniff(new byte[] {'I', 'I', 42})).isEqualTo(ImageFormat.UNKNOWN);
    }
}
