package digiads.events;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import digiads.DigiadsProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The one mapping between object keys and image ids: imageId = key minus the configured prefix.
 * An image id may hold anything an S3 key can (spaces, {@code +}, unicode, {@code /}).
 */
@Component
public class ImageKeys {

    /** S3 caps keys at 1,024 bytes of UTF-8. */
    public static final int MAX_KEY_BYTES = 1024;

    private final String bucket;
    private final String prefix;

    @Autowired
    public ImageKeys(DigiadsProperties properties) {
        this(properties.s3().bucket(), properties.s3().keyPrefix());
    }

    public ImageKeys(String bucket, String prefix) {
        this.bucket = bucket;
        this.prefix = prefix == null ? "" : prefix;
    }

    public String bucket() {
        return bucket;
    }

    /** The image id of an object key, or empty when the key is not an image key (outside the prefix). */
    public Optional<String> imageId(String key) {
        if (key == null || !key.startsWith(prefix) || key.length() == prefix.length()) {
            return Optional.empty();
        }
        return Optional.of(key.substring(prefix.length()));
    }

    /**
     * The object key of an image id; rejects ids that are empty, that have an empty, {@code .} or
     * {@code ..} path segment (S3 keeps such keys as they are, but tools and consoles that treat keys
     * as paths do not, so such an id could name another object there), or that would make a key
     * longer than S3 allows.
     */
    public String key(String imageId) {
        if (imageId == null || imageId.isEmpty()) {
            throw new IllegalArgumentException("imageId must not be empty");
        }
        for (String segment : imageId.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("imageId must not have an empty, '.' or '..' path segment");
            }
        }
        String key = prefix + imageId;
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("imageId is too long: the object key may have at most "
                    + MAX_KEY_BYTES + " bytes of UTF-8, prefix '" + prefix + "' included");
        }
        return key;
    }
}
