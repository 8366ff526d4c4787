package digiads.metadata;

import java.util.Optional;

/**
 * What a ranged read of an object's first bytes told us about it.
 *
 * @param gone   the object no longer exists (deleted before we got to it): there is nothing to label
 * @param size   the object's full size in bytes
 * @param format     the format sniffed from the first bytes
 * @param orderToken the ordering token of the event that caused the probe (see {@link OrderTokens})
 */
public record ProbedImage(String imageId, String bucket, String key, boolean gone, String eTag, long size,
                          ImageFormat format, String orderToken) {

    public static ProbedImage absent(String imageId, String bucket, String key, String orderToken) {
        return new ProbedImage(imageId, bucket, key, true, null, 0, ImageFormat.UNKNOWN, orderToken);
    }

    /**
     * Why Rekognition must not be asked about this object, or empty when it may.
     *
     * @param maxBytes the largest object Rekognition accepts by S3 reference
     */
    public Optional<String> rejection(long maxBytes) {
        if (size == 0) {
            return Optional.of("empty object");
        }
        if (!format.labelable()) {
            return Optional.of(format == ImageFormat.UNKNOWN
                    ? "unsupported format: not an image Rekognition can label (JPEG or PNG)"
                    : "unsupported format: " + format.contentType() + " (Rekognition labels JPEG and PNG)");
        }
        if (size > maxBytes) {
            return Optional.of("image too large: " + size + " bytes, Rekognition accepts at most " + maxBytes);
        }
        return Optional.empty();
    }
}
