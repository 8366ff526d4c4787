package digiads.api;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import digiads.DigiadsProperties;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * Presigned uploads, the AWS way for large files: the client asks for a URL and sends the image's
 * bytes straight to S3, where the pipeline picks it up as any other. The request is validated as an
 * upload is (an image/* type, 1 byte to the upload limit, a valid name); the URL is a PUT of that
 * key, valid {@code digiads.upload.presigned-url-ttl}, with the content type and length signed: S3
 * refuses the PUT of another type or size.
 */
@Component
public class UploadPresigner {

    private final S3Presigner presigner;
    private final ImageRequests requests;
    private final ObjectReader json;
    private final long maxRequestBytes;
    private final Duration ttl;

    public UploadPresigner(S3Presigner presigner, ImageRequests requests, ObjectMapper json,
                           DigiadsProperties properties) {
        this.presigner = presigner;
        this.requests = requests;
        this.json = strict(json).readerFor(UploadRequest.class);
        this.maxRequestBytes = properties.upload().maxRequestBytes();
        this.ttl = properties.upload().presignedUrlTtl();
    }

    /**
     * The request of a JSON body: 413 over the request limit (the body ends one byte after it, see
     * {@link RequestBodyLimits}), 400 when it is not a JSON object of the request's fields.
     */
    public UploadRequest request(byte[] body) {
        if (body != null && body.length > maxRequestBytes) {
            throw new ApiException(413, "payload_too_large",
                    "the request body has more than " + maxRequestBytes + " bytes; at most " + maxRequestBytes
                            + " are accepted");
        }
        UploadRequest request;
        try {
            request = body == null || body.length == 0 ? null : json.readValue(body);
        } catch (IOException e) {
            request = null;
        }
        if (request == null) {
            throw ApiException.badRequest("send a JSON object {\"name\": optional imageId, \"contentType\": "
                    + "\"image/...\", \"contentLength\": the image's size in bytes}");
        }
        return request;
    }

    /** A presigned PUT of the image: 415 not image/*, 400 no or zero length or a bad name, 413 too large. */
    public PresignedUpload presign(UploadRequest request) {
        String contentType = request.contentType();
        requests.checkType(contentType);
        if (contentType.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("contentType must not contain control characters");
        }
        Long contentLength = request.contentLength();
        if (contentLength == null) {
            throw ApiException.badRequest("contentLength is required: the image's size in bytes");
        }
        requests.checkSize(contentLength);
        ImageRef target = requests.target(request.name(), contentType);
        PresignedPutObjectRequest presigned = presigner.presignPutObject(p -> p.signatureDuration(ttl)
                .putObjectRequest(put -> put.bucket(target.bucket()).key(target.key())
                        .contentType(contentType).contentLength(contentLength)));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("Content-Length", Long.toString(contentLength));
        return new PresignedUpload(target.imageId(), target.bucket(), target.key(), presigned.url().toString(),
                presigned.httpRequest().method().name(), headers, presigned.expiration());
    }

    /** JSON as typed: no "12" for a number, no 12.5 for a whole one, no number or boolean for a string. */
    private static ObjectMapper strict(ObjectMapper json) {
        ObjectMapper strict = json.copy();
        strict.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        strict.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return strict;
    }
}
