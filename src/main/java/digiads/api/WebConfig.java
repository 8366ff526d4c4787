package digiads.api;

import java.io.IOException;
import java.util.Locale;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ContinueResponseTiming;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

@Configuration(proxyBeanMethods = false)
public class WebConfig {

    /**
     * Image ids may contain slashes, sent as {@code %2F} within one path segment. Tomcat rejects
     * encoded slashes by default; pass them through undecoded so the segment stays one segment.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> encodedSlashesInPaths() {
        return factory -> factory.addConnectorCustomizers(
                connector -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue()));
    }

    /**
     * A malformed percent-escape in the path or the query string is a 400, not a parameter Tomcat
     * silently drops (the management server registers the same filter).
     */
    @Bean
    FilterRegistrationBean<MalformedEscapesFilter> malformedEscapesFilter(ApiErrorWriter errors,
                                                                          SecurityProperties security) {
        return MalformedEscapesFilter.registration(errors, security);
    }

    /**
     * What Tomcat refuses before any application code runs (a NUL or an encoded backslash in the
     * path, an escape it cannot decode in the path, a malformed request line) is answered with the
     * API's JSON error, not Tomcat's HTML page.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorsFromTomcat() {
        return WebConfig::jsonErrors;
    }

    /** Tomcat's own error reports of this server as JSON (the management server uses it too). */
    public static void jsonErrors(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        });
    }

    /** Tomcat's error report as {@code {"error", "message"}}. */
    public static class JsonErrorReportValve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            HttpStatus known = HttpStatus.resolve(status);
            String error = known == null ? "error" : known.name().toLowerCase(Locale.ROOT);
            String message = known == null ? "the request failed" : "the request was refused: " + known.getReasonPhrase();
            // Tomcat cannot decode the path (before MalformedEscapesFilter could see it): the filter's message
            String malformed = status == 400 ? MalformedEscapesFilter.malformedPart(request) : null;
            if (malformed != null) {
                message = MalformedEscapesFilter.message(malformed);
            }
            try {
                response.setContentType("application/json");
                response.setCharacterEncoding("UTF-8");
                response.getWriter().write("{\"error\":\"" + error + "\",\"message\":\"" + message + "\"}");
                response.finishResponse();
            } catch (IOException | IllegalStateException e) {
                // the response could not be written; the client sees the status alone
            }
        }
    }

    /**
     * {@code Expect: 100-continue} is answered when the body is first read, not as soon as the headers
     * arrive (Tomcat's default): a client that waits for it is told 401 or 413 before it sends anything.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> continueOnlyWhenTheBodyIsRead() {
        return factory -> factory.addConnectorCustomizers(connector -> {
            if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                http.setContinueResponseTiming(ContinueResponseTiming.ON_REQUEST_BODY_READ.toString());
            }
        });
    }
}
