package digiads.metadata;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Image formats recognised by their first bytes ("magic numbers"), never by file name or the
 * Content-Type a client claimed. Rekognition labels JPEG and PNG only.
 */
public enum ImageFormat {
    JPEG("image/jpeg", true),
    PNG("image/png", true),
    GIF("image/gif", false),
    WEBP("image/webp", false),
    BMP("image/bmp", false),
    TIFF("image/tiff", false),
    HEIC("image/heic", false),
    UNKNOWN("application/octet-stream", false);

    /** How many leading bytes {@link #sniff(byte[])} needs to tell every format apart. */
    public static final int SNIFF_BYTES = 16;

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final String contentType;
    private final boolean labelable;

    ImageFormat(String contentType, boolean labelable) {
        this.contentType = contentType;
        this.labelable = labelable;
    }

    public String contentType() {
        return contentType;
    }

    /** Whether Rekognition DetectLabels accepts this format. */
    public boolean labelable() {
        return labelable;
    }

    public static ImageFormat sniff(byte[] head) {
        if (head == null) {
            return UNKNOWN;
        }
        if (startsWith(head, (byte) 0xFF, (byte) 0xD8, (byte) 0xFF)) {
            return JPEG;
        }
        if (startsWith(head, PNG_MAGIC)) {
            return PNG;
        }
        if (ascii(head, 0, "GIF87a") || ascii(head, 0, "GIF89a")) {
            return GIF;
        }
        if (ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) {
            return WEBP;
        }
        if (ascii(head, 0, "BM")) {
            return BMP;
        }
        if (startsWith(head, (byte) 'I', (byte) 'I', (byte) 42, (byte) 0)
                || startsWith(head, (byte) 'M', (byte) 'M', (byte) 0, (byte) 42)) {
            return TIFF;
        }
        if (ascii(head, 4, "ftypheic") || ascii(head, 4, "ftypheix") || ascii(head, 4, "ftypmif1")) {
            return HEIC;
        }
        return UNKNOWN;
    }

    private static boolean startsWith(byte[] head, byte... magic) {
        return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }

    private static boolean ascii(byte[] head, int offset, String text) {
        byte[] magic = text.getBytes(StandardCharsets.US_ASCII);
        return head.length >= offset + magic.length
                && Arrays.equals(head, offset, offset + magic.length, magic, 0, magic.length);
    }
}
