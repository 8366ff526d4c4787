package digiads.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import digiads.DigiadsProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds what the API reads of a request body, before anything reads it. Camel's platform-http
 * binding copies a whole request body when it creates the message, before any route code runs, and a
 * chunked body declares no length; so the bound is put on the request's input stream itself:
 * <ul>
 * <li>a declared Content-Length over the limit is answered 413 at once, nothing read;</li>
 * <li>otherwise the input stream ends after the limit + 1 bytes: the route sees at most that, and a
 * body longer than the limit is a 413 from the route (the rest is never read by the app: Tomcat drains
 * a little and closes the connection);</li>
 * <li>a Content-Encoding (gzip, deflate) is refused with 415: Camel would inflate such a body, and a
 * few compressed megabytes can inflate to gigabytes.</li>
 * </ul>
 * The limit is {@code digiads.upload.max-bytes} for an upload ({@code POST /api/images}) and
 * {@code digiads.upload.max-request-bytes} for the body of any other API request (JSON, or nothing).
 * The filter runs after Spring Security's filters: an unauthenticated or unauthorized caller is
 * refused before a byte of its body is read.
 */
@Configuration(proxyBeanMethods = false)
public class RequestBodyLimits {

    @Bean
    FilterRegistrationBean<BodyLimitFilter> requestBodyLimitFilter(@Value("${digiads.api.context-path}") String api,
            DigiadsProperties properties, ApiErrorWriter errors, SecurityProperties security) {
        BodyLimitFilter filter = new BodyLimitFilter(api + "/images", properties.upload().maxBytes(),
                properties.upload().maxRequestBytes(), errors);
        FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns(api + "/*");
        // right after Spring Security's filter chain (spring.security.filter.order)
        registration.setOrder(security.getFilter().getOrder() + 1);
        return registration;
    }

    /** The request filter; see {@link RequestBodyLimits}. */
    public static final class BodyLimitFilter extends OncePerRequestFilter {

        private final String uploadPath;
        private final long maxUploadBytes;
        private final long maxRequestBytes;
        private final ApiErrorWriter errors;

        BodyLimitFilter(String uploadPath, long maxUploadBytes, long maxRequestBytes, ApiErrorWriter errors) {
            this.uploadPath = uploadPath;
            this.maxUploadBytes = maxUploadBytes;
            this.maxRequestBytes = maxRequestBytes;
            this.errors = errors;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
            if (StringUtils.hasText(encoding) && !"identity".equalsIgnoreCase(encoding.trim())) {
                response.setHeader(HttpHeaders.ACCEPT_ENCODING, "identity");
                errors.write(response, 415, "unsupported_media_type",
                        "send the body as it is: no Content-Encoding (gzip, deflate, ...) is accepted");
                return;
            }
            boolean upload = "POST".equals(request.getMethod()) && uploadPath.equals(request.getRequestURI());
            long limit = upload ? maxUploadBytes : maxRequestBytes;
            long declared = request.getContentLengthLong();
            if (declared > limit) {
                errors.write(response, 413, "payload_too_large", (upload ? "the image" : "the request body")
                        + " has " + declared + " bytes; at most " + limit + " are accepted");
                return;
            }
            chain.doFilter(new BoundedRequest(request, limit + 1), response);
        }
    }

    /** The request with an input stream that ends after {@code readable} bytes. */
    static final class BoundedRequest extends HttpServletRequestWrapper {

        private final long readable;
        private BoundedInputStream in;

        BoundedRequest(HttpServletRequest request, long readable) {
            super(request);
            this.readable = readable;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (in == null) {
                in = new BoundedInputStream(super.getInputStream(), readable);
            }
            return in;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    /** Reads at most {@code remaining} bytes of the underlying stream, then reports its end. */
    static final class BoundedInputStream extends ServletInputStream {

        private final ServletInputStream in;
        private long remaining;

        BoundedInputStream(ServletInputStream in, long readable) {
            this.in = in;
            this.remaining = readable;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return remaining <= 0 ? 0 : (int) Math.min(in.available(), remaining);
        }

        @Override
        public boolean isFinished() {
            return remaining <= 0 || in.isFinished();
        }

        @Override
        public boolean isReady() {
            return remaining <= 0 || in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
