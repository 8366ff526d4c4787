package digiads.api;

import java.time.Instant;
import java.util.Map;

/**
 * Where and how to upload an image straight to S3: send its bytes with {@code method} to {@code url},
 * with exactly these {@code headers} (they are signed), before {@code expiresAt}.
 */
public record PresignedUpload(String imageId, String bucket, String key, String url, String method,
                              Map<String, String> headers, Instant expiresAt) {
}
