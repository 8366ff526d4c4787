package digiads.gallery;

import java.time.Instant;

/** Where to GET an image's picture until {@code expiresAt}: a presigned S3 URL. */
public record Picture(String imageId, String url, Instant expiresAt) {
}
