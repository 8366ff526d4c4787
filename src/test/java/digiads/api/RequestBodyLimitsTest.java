package digiads.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.DelegatingServletInputStream;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The body bound on the request itself: 415 for encodings, 413 for declared sizes, a stream that ends. */
class RequestBodyLimitsTest {

    private final RequestBodyLimits.BodyLimitFilter filter =
            new RequestBodyLimits.BodyLimitFilter("/api/images", 10, 4, new ApiErrorWriter(new ObjectMapper()));

    private static MockHttpServletRequest request(String method, String uri, byte[] body) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
        request.setContent(body);
        return request;
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) 'x');
        return b;
    }

    /** Runs the filter; returns what the next filter could read of the body, or null when it was not called. */
    private static String through(RequestBodyLimits.BodyLimitFilter filter, MockHttpServletRequest request,
                                  MockHttpServletResponse response) throws Exception {
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        ServletRequest passed = chain.getRequest();
        return passed == null ? null : new String(passed.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void anEncodedBodyIsRefusedWithoutBeingRead() throws Exception {
        MockHttpServletRequest gzip = request("POST", "/api/images", bytes(3));
        gzip.addHeader("Content-Encoding", "gzip");
        MockHttpServletResponse response = new MockHttpServletResponse();

        assertThat(through(filter, gzip, response)).isNull();
        assertThat(response.getStatus()).isEqualTo(415);
        assertThat(response.getHeader("Accept-Encoding")).isEqualTo("identity");
        assertThat(response.getContentAsString()).contains("\"error\":\"unsupported_media_type\"");

        MockHttpServletRequest identity = request("POST", "/api/images", bytes(3));
        identity.addHeader("Content-Encoding", " Identity ");
        assertThat(through(filter, identity, new MockHttpServletResponse())).isEqualTo("xxx");
    }

    @Test
    void aDeclaredLengthOverTheLimitIsA413AtOnce() throws Exception {
        MockHttpServletResponse upload = new MockHttpServletResponse();
        assertThat(through(filter, request("POST", "/api/images", bytes(11)), upload)).isNull();
        assertThat(upload.getStatus()).isEqualTo(413);
        assertThat(upload.getContentAsString()).isEqualTo(
                "{\"error\":\"payload_too_large\",\"message\":\"the image has 11 bytes; at most 10 are accepted\"}");

        MockHttpServletResponse other = new MockHttpServletResponse();
        assertThat(through(filter, request("PUT", "/api/images", bytes(5)), other)).isNull();
        assertThat(other.getContentAsString()).contains("the request body has 5 bytes; at most 4 are accepted");

        MockHttpServletResponse elsewhere = new MockHttpServletResponse();
        assertThat(through(filter, request("POST", "/api/images/x", bytes(5)), elsewhere)).isNull();
        assertThat(elsewhere.getStatus()).isEqualTo(413);

        assertThat(through(filter, request("POST", "/api/images", bytes(10)), new MockHttpServletResponse()))
                .hasSize(10);
        assertThat(through(filter, request("GET", "/api/x", bytes(4)), new MockHttpServletResponse())).hasSize(4);
    }

    @Test
    void anUndeclaredBodyEndsAfterTheLimitAndOneByte() throws Exception {
        MockHttpServletRequest undeclared = new MockHttpServletRequest("POST", "/api/images") {
            @Override
            public long getContentLengthLong() {
                return -1;
            }
        };
        undeclared.setContent(bytes(50));
        assertThat(through(filter, undeclared, new MockHttpServletResponse())).hasSize(11);
    }

    /** An underlying stream that has {@code size} bytes and tells what it was asked. */
    private static final class Source extends ServletInputStream {
        int left;
        boolean closed;
        ReadListener listener;
        int lastAskedLength = -1;

        Source(int size) {
            left = size;
        }

        @Override
        public int read() {
            return left-- > 0 ? 'y' : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            lastAskedLength = len;
            if (left <= 0) {
                return -1;
            }
            int n = Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 'y');
            left -= n;
            return n;
        }

        @Override
        public int available() {
            return Math.max(left, 0);
        }

        @Override
        public boolean isFinished() {
            return left <= 0;
        }

        @Override
        public boolean isReady() {
            return false;
        }

        @Override
        public void setReadListener(ReadListener readListener) {
            listener = readListener;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void theBoundedStreamReadsAtMostItsBytes() throws IOException {
        Source source = new Source(10);
        RequestBodyLimits.BoundedInputStream in = new RequestBodyLimits.BoundedInputStream(source, 3);

        assertThat(in.isFinished()).isFalse();
        assertThat(in.isReady()).isFalse();
        assertThat(in.available()).isEqualTo(3);
        assertThat(in.read()).isEqualTo('y');
        assertThat(in.available()).isEqualTo(2);
        byte[] buffer = new byte[8];
        assertThat(in.read(buffer, 0, 0)).isZero();
        assertThat(in.read(buffer, 1, 8)).isEqualTo(2);
        assertThat(source.lastAskedLength).isEqualTo(2);
        assertThat(buffer[1]).isEqualTo((byte) 'y');
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.read(buffer, 0, 8)).isEqualTo(-1);
        assertThat(in.available()).isZero();
        assertThat(in.isFinished()).isTrue();
        assertThat(in.isReady()).isTrue();
        assertThat(source.left).as("nothing read beyond the bound").isEqualTo(7);

        ReadListener listener = new ReadListener() {
            @Override
            public void onDataAvailable() {
            }

            @Override
            public void onAllDataRead() {
            }

            @Override
            public void onError(Throwable t) {
            }
        };
        in.setReadListener(listener);
        assertThat(source.listener).isSameAs(listener);
        in.close();
        assertThat(source.closed).isTrue();
    }

    @Test
    void aShortStreamEndsWhenItsSourceDoes() throws IOException {
        Source source = new Source(2);
        RequestBodyLimits.BoundedInputStream in = new RequestBodyLimits.BoundedInputStream(source, 5);
        assertThat(in.available()).isEqualTo(2);
        assertThat(in.read()).isEqualTo('y');
        assertThat(in.read(new byte[4], 0, 4)).isEqualTo(1);
        assertThat(in.isFinished()).as("the source ended").isTrue();
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.read(new byte[4], 0, 4)).isEqualTo(-1);
        assertThat(in.available()).isZero();
        // reading nothing does not count: 3 bytes could still come
        Source more = new Source(0);
        RequestBodyLimits.BoundedInputStream empty = new RequestBodyLimits.BoundedInputStream(more, 3);
        assertThat(empty.read()).isEqualTo(-1);
        assertThat(empty.read(new byte[2], 0, 2)).isEqualTo(-1);
        more.left = 3;
        assertThat(empty.read(new byte[5], 0, 5)).isEqualTo(3);
    }

    @Test
    void theBoundedRequestReadsItsBodyThroughTheBoundInItsCharset() throws IOException {
        MockHttpServletRequest request = request("POST", "/api/x", "héllo wörld".getBytes(StandardCharsets.UTF_8));
        request.setCharacterEncoding("UTF-8");
        RequestBodyLimits.BoundedRequest bounded = new RequestBodyLimits.BoundedRequest(request, 6);
        assertThat(bounded.getInputStream()).isSameAs(bounded.getInputStream());
        try (BufferedReader reader = bounded.getReader()) {
            assertThat(reader.readLine()).isEqualTo("héllo");
        }

        MockHttpServletRequest latin = new MockHttpServletRequest("POST", "/api/x");
        latin.setContent("caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        try (BufferedReader reader = new RequestBodyLimits.BoundedRequest(latin, 100).getReader()) {
            assertThat(reader.readLine()).isEqualTo("café");
        }
        MockHttpServletRequest wrapped = new MockHttpServletRequest();
        wrapped.setContent(new byte[0]);
        assertThat(new RequestBodyLimits.BoundedRequest(wrapped, 1).getInputStream())
                .isNotInstanceOf(DelegatingServletInputStream.class);
    }
}
