package digiads.api;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import digiads.DigiadsProperties;
import digiads.events.ImageKeys;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.StreamCache;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriUtils;

/**
 * Validates what the images API is sent: image ids from the path, and uploads (type, size, name).
 * Every rejection is an {@link ApiException} with the status the client should see.
 */
@Component
public class ImageRequests {

    private static final Map<String, String> EXTENSIONS = Map.of(
            "image/jpeg", ".jpg", "image/jpg", ".jpg", "image/png", ".png", "image/gif", ".gif",
            "image/webp", ".webp", "image/bmp", ".bmp", "image/tiff", ".tiff", "image/heic", ".heic");

    private final ImageKeys keys;
    private final long maxBytes;

    public ImageRequests(ImageKeys keys, DigiadsProperties properties) {
        this.keys = keys;
        this.maxBytes = properties.upload().maxBytes();
    }

    /**
     * The image id of a path segment as it arrived, still percent-encoded ({@code %2F} is a slash
     * within the id; a {@code +} is a plus, as everywhere in a path). An id no image can have (one
     * that is not validly encoded, or one too long or too odd to have been stored) names no image: 404.
     */
    public String imageId(@Header("imageId") String rawSegment) {
        String imageId;
        try {
            imageId = rawSegment == null ? "" : UriUtils.decode(rawSegment, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no image '" + rawSegment + "': the id is not validly percent-encoded");
        }
        try {
            validate(imageId);
        } catch (ApiException e) {
            throw ApiException.notFound("no image '" + imageId + "': " + e.getMessage());
        }
        return imageId;
    }

    /** Where the image of a path segment is stored. */
    public ImageRef ref(@Header("imageId") String rawSegment) {
        String imageId = imageId(rawSegment);
        return new ImageRef(imageId, keys.bucket(), keys.key(imageId));
    }

    /** Checks an upload's headers before its body is used: 415 for anything but image/*, 413 when too large. */
    public void checkUpload(@Header(Exchange.CONTENT_TYPE) String contentType,
                            @Header(Exchange.CONTENT_LENGTH) Long contentLength) {
        checkType(contentType);
        if (contentLength != null && contentLength > maxBytes) {
            throw tooLarge(contentLength);
        }
    }

    /** 415 for anything but image/*. */
    public void checkType(String contentType) {
        String type = mediaType(contentType);
        if (!type.startsWith("image/")) {
            throw new ApiException(415, "unsupported_media_type",
                    "send the image itself with Content-Type image/* (got " + (type.isEmpty() ? "none" : type) + ")");
        }
    }

    /** An image's size: 400 when it has no bytes, 413 when it has more than allowed. */
    public void checkSize(long size) {
        if (size <= 0) {
            throw ApiException.badRequest("the image is empty: it needs at least one byte");
        }
        if (size > maxBytes) {
            throw tooLarge(size);
        }
    }

    /**
     * The size of an upload's body, checked for emptiness and size (a chunked body has no Content-Length
     * to check first). The body is Camel's stream cache of what was read: at most the limit + 1 bytes
     * ({@link RequestBodyLimits}), in a temporary file above the spool threshold. Only its length is
     * read here; the S3 producer streams it.
     */
    public long size(@Body StreamCache body) {
        long size = body == null ? 0 : body.length();
        if (size == 0) {
            throw ApiException.badRequest("the request body is empty: send the image bytes");
        }
        if (size > maxBytes) {
            throw new ApiException(413, "payload_too_large",
                    "the image has more than " + maxBytes + " bytes; at most " + maxBytes + " are accepted");
        }
        return size;
    }

    /** Where an upload goes: the given name, or a generated unique one with an extension for its type. */
    public ImageRef target(@Header("name") String name, @Header(Exchange.CONTENT_TYPE) String contentType) {
        String imageId = StringUtils.hasText(name) ? name : UUID.randomUUID() + EXTENSIONS.getOrDefault(
                mediaType(contentType), "");
        validate(imageId);
        return new ImageRef(imageId, keys.bucket(), keys.key(imageId));
    }

    private void validate(String imageId) {
        if (imageId.isBlank()) {
            throw ApiException.badRequest("imageId must not be empty");
        }
        if (imageId.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("imageId must not contain control characters");
        }
        try {
            keys.key(imageId);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private ApiException tooLarge(long size) {
        return new ApiException(413, "payload_too_large",
                "the image has " + size + " bytes; at most " + maxBytes + " are accepted");
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
