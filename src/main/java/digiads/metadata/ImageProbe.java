package digiads.metadata;

import java.io.IOException;
import java.io.UncheckedIOException;

import digiads.events.ImageEvent;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads the first bytes of an object with one ranged GET: enough to sniff its format, learn its
 * current size and ETag, and tell whether it still exists. The image itself is never downloaded.
 */
@Component
public class ImageProbe {

    private static final int RANGE_NOT_SATISFIABLE = 416;

    private final S3Client s3;

    public ImageProbe(S3Client s3) {
        this.s3 = s3;
    }

    public ProbedImage probe(ImageEvent event) {
        GetObjectRequest request = GetObjectRequest.builder()
                .bucket(event.bucket())
                .key(event.key())
                .range("bytes=0-" + (ImageFormat.SNIFF_BYTES - 1))
                .build();
        try (ResponseInputStream<GetObjectResponse> object = s3.getObject(request)) {
            byte[] head = object.readNBytes(ImageFormat.SNIFF_BYTES);
            GetObjectResponse response = object.response();
            return new ProbedImage(event.imageId(), event.bucket(), event.key(), false, unquote(response.eTag()),
                    totalSize(response, head.length), ImageFormat.sniff(head), event.orderToken());
        } catch (NoSuchKeyException e) {
            return ProbedImage.absent(event.imageId(), event.bucket(), event.key(), event.orderToken());
        } catch (S3Exception e) {
            if (e.statusCode() == RANGE_NOT_SATISFIABLE) {
                // S3 answers a range request on a zero-byte object with 416.
                return new ProbedImage(event.imageId(), event.bucket(), event.key(), false, event.eTag(), 0,
                        ImageFormat.UNKNOWN, event.orderToken());
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the first bytes of s3://" + event.bucket() + "/" + event.key(), e);
        }
    }

    /**
     * Whether the object exists right now (HEAD). A removal whose object is there again was followed
     * by a re-upload, whose own ObjectCreated event decides the metadata.
     */
    public boolean exists(ImageEvent event) {
        try {
            s3.headObject(HeadObjectRequest.builder().bucket(event.bucket()).key(event.key()).build());
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** The full size from {@code Content-Range: bytes 0-15/12345}; without a range, the body is the object. */
    static long totalSize(GetObjectResponse response, int bytesRead) {
        String range = response.contentRange();
        if (range != null) {
            int slash = range.lastIndexOf('/');
            if (slash >= 0 && !range.endsWith("*")) {
                return Long.parseLong(range.substring(slash + 1).trim());
            }
        }
        Long length = response.contentLength();
        return length != null ? Math.max(length, bytesRead) : bytesRead;
    }

    static String unquote(String eTag) {
        return eTag == null ? null : eTag.replace("\"", "");
    }
}
