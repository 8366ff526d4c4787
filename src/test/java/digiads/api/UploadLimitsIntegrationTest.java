package digiads.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.local.LocalIssuer;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.converter.stream.FileInputStreamCache;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Uploads never make the app hold more than the limit: an oversized body is refused once the limit is
 * passed (chunked) or at once (declared), before authentication nothing of a body is read, and what is
 * read goes to disk above the spool threshold. Requests go over a plain socket ({@link RawHttp}), which
 * sends what Java's HttpClient will not and reads the answer while still sending.
 */
class UploadLimitsIntegrationTest extends MotoTestSupport {

    private static final int LIMIT = 15 * 1024 * 1024;

    @Autowired
    CamelContext camel;

    private RawHttp.Answer upload(String name, Map<String, String> extraHeaders, RawHttp.Body body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token(LocalIssuer.Client.DEV));
        headers.put("Content-Type", "image/jpeg");
        headers.putAll(extraHeaders);
        return RawHttp.send(port, "POST", "/api/images?name=" + segment(name), headers, body);
    }

    @Test
    void aChunkedBodyThatNeverEndsIsRefusedOnceItPassesTheLimit() {
        RawHttp.Answer answer = upload("limits/endless.jpg", Map.of(), new RawHttp.Chunked(256L * 1024 * 1024));

        assertError(answer, 413, "payload_too_large");
        assertThat(answer.bodyFullySent()).as("answered while the body was still coming (%d bytes sent)",
                answer.bytesSent()).isFalse();
        assertNotStored("limits/endless.jpg");
    }

    @Test
    void oneByteOverTheLimitIs413AndExactlyTheLimitIsStoredByteForByte() {
        assertError(upload("limits/one-over.jpg", Map.of(), new RawHttp.Chunked(LIMIT + 1)), 413, "payload_too_large");
        assertNotStored("limits/one-over.jpg");

        RawHttp.Answer stored = upload("limits/exactly.jpg", Map.of(), new RawHttp.Chunked(LIMIT));

        assertThat(stored.status()).as(stored.body()).isEqualTo(202);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(PREFIX + "limits/exactly.jpg")).asByteArray())
                .isEqualTo(RawHttp.chunkedBytes(LIMIT));
    }

    @Test
    void aDeclaredLengthOverTheLimitIs413WithoutWaitingForTheBody() {
        // declares one byte too many and sends ten: only an answer from the header can come back
        RawHttp.Answer answer = upload("limits/declared.jpg", Map.of(), new RawHttp.Declared(LIMIT + 1, new byte[10]));

        assertError(answer, 413, "payload_too_large");
        assertThat(body(answer).path("message").asText()).contains(Integer.toString(LIMIT + 1));
        assertNotStored("limits/declared.jpg");
    }

    @Test
    void aClientWaitingFor100ContinueGetsThe413Instead() {
        RawHttp.Answer answer = upload("limits/expect.jpg", Map.of("Expect", "100-continue"),
                new RawHttp.Declared(LIMIT + 1, new byte[0]));

        assertThat(answer.interim()).as("no 100 Continue: the body is not wanted").isEmpty();
        assertError(answer, 413, "payload_too_large");
    }

    @Test
    void anAnonymousUploadIsRefusedBeforeItsBodyIsRead() {
        RawHttp.Answer declared = RawHttp.send(port, "POST", "/api/images", Map.of("Content-Type", "image/jpeg"),
                new RawHttp.Declared(LIMIT + 1, new byte[10]));
        RawHttp.Answer chunked = RawHttp.send(port, "POST", "/api/images", Map.of("Content-Type", "image/jpeg"),
                new RawHttp.Chunked(64L * 1024 * 1024));

        assertError(declared, 401, "unauthorized");
        assertError(chunked, 401, "unauthorized");
        assertThat(chunked.bodyFullySent()).isFalse();
    }

    @Test
    void aFormBodyOfAnyRequestIsNotReadBeforeAuthentication() {
        // Spring's FormContentFilter would read a form body of a DELETE into a String, before security
        RawHttp.Answer answer = RawHttp.send(port, "DELETE", "/api/images/x.jpg",
                Map.of("Content-Type", "application/x-www-form-urlencoded"), new RawHttp.Chunked(64L * 1024 * 1024));

        assertError(answer, 401, "unauthorized");
        assertThat(answer.bodyFullySent()).isFalse();
    }

    @Test
    void aCompressedBodyIs415RatherThanInflated() {
        byte[] gzipped = gzip(TestImages.jpeg());

        RawHttp.Answer answer = upload("limits/gzipped.jpg", Map.of("Content-Encoding", "gzip"),
                new RawHttp.Declared(gzipped.length, gzipped));

        assertError(answer, 415, "unsupported_media_type");
        assertNotStored("limits/gzipped.jpg");
    }

    @Test
    void anUploadOverTheSpoolThresholdIsStreamedToS3FromATemporaryFile() throws Exception {
        byte[] image = withPadding(TestImages.jpeg(), 2 * 1024 * 1024);
        List<Object> sentToS3 = new CopyOnWriteArrayList<>();
        EventNotifierSupport spy = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeSendingEvent sending
                        && sending.getEndpoint().getEndpointUri().startsWith("aws2-s3")) {
                    Message put = sending.getExchange().getMessage();
                    if ((PREFIX + "limits/spooled.jpg").equals(put.getHeader(AWS2S3Constants.KEY))
                            && put.getHeader(AWS2S3Constants.S3_OPERATION) == null) {
                        sentToS3.add(put.getBody());
                    }
                }
            }
        };
        spy.start();
        camel.getManagementStrategy().addEventNotifier(spy);
        RawHttp.Answer answer;
        try {
            answer = upload("limits/spooled.jpg", Map.of(), new RawHttp.Declared(image.length, image));
        } finally {
            camel.getManagementStrategy().removeEventNotifier(spy);
            spy.stop();
        }

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        assertThat(sentToS3).as("S3 was sent the request's stream cache, spooled to a file, not bytes in the heap")
                .singleElement().isInstanceOf(FileInputStreamCache.class);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(PREFIX + "limits/spooled.jpg")).asByteArray())
                .isEqualTo(image);
        assertThat(awaitMetadata("limits/spooled.jpg").path("status").asText()).isEqualTo("LABELED");
    }

    private void assertError(RawHttp.Answer answer, int status, String error) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().get("content-type")).startsWith("application/json");
        assertThat(body(answer).path("error").asText()).isEqualTo(error);
    }

    private JsonNode body(RawHttp.Answer answer) {
        try {
            return json.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + answer.body(), e);
        }
    }

    private void assertNotStored(String imageId) {
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key(PREFIX + imageId)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    /** A JPEG followed by padding up to the size (decoders stop at the end-of-image marker). */
    private static byte[] withPadding(byte[] jpeg, int size) {
        byte[] padded = RawHttp.chunkedBytes(size);
        System.arraycopy(jpeg, 0, padded, 0, jpeg.length);
        return padded;
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
