package digiads.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;

import digiads.events.ImageEvent;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** One ranged GET tells the format, full size, ETag and existence of an object; HEAD tells existence. */
class ImageProbeTest {

    private static final byte[] PNG_HEAD = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};

    private final S3Client s3 = mock(S3Client.class);
    private final ImageProbe probe = new ImageProbe(s3);
    private final ImageEvent event = new ImageEvent(ImageEvent.Kind.CREATED, "ObjectCreated:Put",
            Instant.parse("2026-11-26T12:00:00Z"), "digiads-images", "images/a.png", "a.png", 10, "\"ev\"", "0A");

    private static ResponseInputStream<GetObjectResponse> object(GetObjectResponse response, InputStream body) {
        return new ResponseInputStream<>(response, AbortableInputStream.create(body));
    }

    private static S3Exception s3Error(int status) {
        return (S3Exception) S3Exception.builder().statusCode(status).message("status " + status).build();
    }

    @Test
    void readsTheFirstBytesOnlyAndTheFullSizeFromContentRange() {
        when(s3.getObject(any(GetObjectRequest.class))).thenReturn(object(GetObjectResponse.builder()
                .eTag("\"abc\"").contentRange("bytes 0-11/12345").contentLength(12L).build(),
                new ByteArrayInputStream(PNG_HEAD)));

        ProbedImage image = probe.probe(event);

        assertThat(image).isEqualTo(new ProbedImage("a.png", "digiads-images", "images/a.png", false, "abc", 12345,
                ImageFormat.PNG, event.orderToken()));
        ArgumentCaptor<GetObjectRequest> request = ArgumentCaptor.forClass(GetObjectRequest.class);
        verify(s3).getObject(request.capture());
        assertThat(request.getValue().bucket()).isEqualTo("digiads-images");
        assertThat(request.getValue().key()).isEqualTo("images/a.png");
        assertThat(request.getValue().range()).isEqualTo("bytes=0-" + (ImageFormat.SNIFF_BYTES - 1));
    }

    @Test
    void aDeletedObjectIsAbsentAndAnEmptyOneHasNoBytes() {
        when(s3.getObject(any(GetObjectRequest.class))).thenThrow(NoSuchKeyException.builder().build());
        assertThat(probe.probe(event)).isEqualTo(
                ProbedImage.absent("a.png", "digiads-images", "images/a.png", event.orderToken()));
        assertThat(ProbedImage.absent("a", "b", "k", "T1")).isEqualTo(
                new ProbedImage("a", "b", "k", true, null, 0, ImageFormat.UNKNOWN, "T1"));

        S3Client emptyS3 = mock(S3Client.class);
        when(emptyS3.getObject(any(GetObjectRequest.class))).thenThrow(s3Error(416));
        assertThat(new ImageProbe(emptyS3).probe(event)).isEqualTo(new ProbedImage("a.png", "digiads-images",
                "images/a.png", false, "\"ev\"", 0, ImageFormat.UNKNOWN, event.orderToken()));
    }

    @Test
    void otherS3ErrorsAndBrokenReadsFail() {
        S3Exception denied = s3Error(403);
        when(s3.getObject(any(GetObjectRequest.class))).thenThrow(denied);
        assertThatThrownBy(() -> probe.probe(event)).isSameAs(denied);

        S3Client broken = mock(S3Client.class);
        when(broken.getObject(any(GetObjectRequest.class))).thenReturn(object(GetObjectResponse.builder().build(),
                new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("connection reset");
                    }
                }));
        assertThatThrownBy(() -> new ImageProbe(broken).probe(event)).isInstanceOf(UncheckedIOException.class)
                .hasMessage("reading the first bytes of s3://digiads-images/images/a.png")
                .hasRootCauseMessage("connection reset");
    }

    @Test
    void existsAsksHead() {
        when(s3.headObject(any(HeadObjectRequest.class))).thenReturn(HeadObjectResponse.builder().build());
        assertThat(probe.exists(event)).isTrue();
        ArgumentCaptor<HeadObjectRequest> request = ArgumentCaptor.forClass(HeadObjectRequest.class);
        verify(s3).headObject(request.capture());
        assertThat(request.getValue().bucket()).isEqualTo("digiads-images");
        assertThat(request.getValue().key()).isEqualTo("images/a.png");

        S3Client gone = mock(S3Client.class);
        when(gone.headObject(any(HeadObjectRequest.class))).thenThrow(NoSuchKeyException.builder().build());
        assertThat(new ImageProbe(gone).exists(event)).isFalse();

        S3Client notFound = mock(S3Client.class);
        when(notFound.headObject(any(HeadObjectRequest.class))).thenThrow(s3Error(404));
        assertThat(new ImageProbe(notFound).exists(event)).isFalse();

        S3Client denied = mock(S3Client.class);
        S3Exception error = s3Error(403);
        when(denied.headObject(any(HeadObjectRequest.class))).thenThrow(error);
        assertThatThrownBy(() -> new ImageProbe(denied).exists(event)).isSameAs(error);
    }

    @Test
    void totalSize() {
        assertThat(ImageProbe.totalSize(GetObjectResponse.builder().contentRange("bytes 0-15/ 99 ").build(), 16))
                .isEqualTo(99);
        // an unknown total: the length, but never less than what was read
        assertThat(ImageProbe.totalSize(GetObjectResponse.builder().contentRange("bytes 0-15/*").contentLength(40L)
                .build(), 16)).isEqualTo(40);
        assertThat(ImageProbe.totalSize(GetObjectResponse.builder().contentRange("bytes").contentLength(8L)
                .build(), 16)).isEqualTo(16);
        assertThat(ImageProbe.totalSize(GetObjectResponse.builder().contentLength(20L).build(), 16)).isEqualTo(20);
        assertThat(ImageProbe.totalSize(GetObjectResponse.builder().contentRange("/30").contentLength(20L).build(), 16))
                .isEqualTo(30);
        assertThat(ImageProbe.totalSize(GetObjectResponse.builder().build(), 7)).isEqualTo(7);
    }

    @Test
    void unquote() {
        assertThat(ImageProbe.unquote("\"abc\"")).isEqualTo("abc");
        assertThat(ImageProbe.unquote("abc")).isEqualTo("abc");
        assertThat(ImageProbe.unquote(null)).isNull();
    }
}
