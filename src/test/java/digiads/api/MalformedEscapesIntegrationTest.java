package digiads.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.local.LocalIssuer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * A malformed percent-escape anywhere in a request's path or query string is the API's 400
 * {@code bad_request}, as JSON, on every endpoint of both ports, rather than a parameter Tomcat drops
 * and a request answered as if it had not been sent; well-formed escapes (a space, UTF-8) still work.
 * Requests go over a plain socket ({@link RawHttp}): an HTTP client would encode the {@code %} again.
 */
class MalformedEscapesIntegrationTest extends MotoTestSupport {

    private static final Pattern REFUSALS = Pattern.compile(
            "(?m)^http_server_requests_seconds_count\\{[^}]*status=\"400\"[^}]*} ([0-9.E]+)$");

    @Autowired
    ApplicationContext application;

    /** A request line's target with these characters sent as their UTF-8 bytes (the socket sends Latin-1). */
    private static String utf8(String target) {
        return new String(target.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private RawHttp.Answer api(String method, String target) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token(LocalIssuer.Client.DEV));
        RawHttp.Body body = null;
        if ("POST".equals(method) && target.startsWith("/api/images/uploads")) {
            headers.put("Content-Type", "application/json");
            byte[] json = "{\"name\":\"escapes/presigned.jpg\",\"contentType\":\"image/jpeg\",\"contentLength\":10}"
                    .getBytes(StandardCharsets.UTF_8);
            body = new RawHttp.Declared(json.length, json);
        } else if ("POST".equals(method)) {
            headers.put("Content-Type", "image/jpeg");
            byte[] jpeg = TestImages.jpeg();
            body = new RawHttp.Declared(jpeg.length, jpeg);
        }
        return RawHttp.send(port, method, target, headers, body);
    }

    private RawHttp.Answer operator(String target) {
        String basic = Base64.getEncoder().encodeToString((ADMIN_USER + ":" + ADMIN_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        return RawHttp.send(managementPort, "GET", target, Map.of("Authorization", "Basic " + basic), null);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ' ', value = {
            // the search whose dropped cursor answered its first page
            "GET /api/images?label=dog&cursor=%%%not-a-cursor",
            "GET /api/images?label=dog&limit=%3",
            "GET /api/images?label=%C3",
            "GET /api/images?label=dog%FF",
            "GET /api/images?label=%C3%28",
            "GET /api/labels?cursor=%G0",
            "GET /api/gallery?cursor=%",
            "GET /api/images/escapes%2Fnone.jpg/metadata?x=%zz",
            "GET /api/images/escapes%2Fnone.jpg/digiads?x=%4",
            "GET /api/images/escapes%2Fnone.jpg/picture?x=%E2%82",
            "POST /api/images?name=escapes%2Fbad%zz.jpg",
            "POST /api/images/uploads?x=%zz",
            "DELETE /api/images/escapes%2Fnone.jpg?x=%%",
            "GET /api/events?x=%zz",
            "GET /api/images/escapes%2Fnone.jpg/events?x=%C0%AF",
            "GET /api/openapi.json?x=%zz",
            "GET /?x=%zz",
            "GET /app/api/me?x=%",
            "GET /app/api/images?label=dog&cursor=%%%not-a-cursor",
            // the path: Tomcat refuses what it cannot decode itself, the filter what Tomcat lets through
            "GET /api/images/%zz/metadata",
            "GET /api/images/a%C3.jpg/metadata",
            "GET /api/images/a%ED%A0%80.jpg/digiads",
            "DELETE /api/images/a%2",
            "GET /app/%C3%28"})
    void aMalformedEscapeIsTheApis400OnEveryPublicEndpoint(String method, String target) {
        assertRefused(api(method, target));
    }

    @Test
    void otherScriptsDigitsNeverReachTheApp() {
        // U+0663 (ARABIC-INDIC DIGIT THREE) and U+FF21 (FULLWIDTH A) are hex digits to Character.digit; sent as
        // their UTF-8 bytes they make the request line invalid to Tomcat: its 400 is the API's JSON too
        // (PercentEscapesTest covers the checker's part)
        assertBadRequest(api("GET", utf8("/api/images?label=dog&cursor=%\u0663\u0663")));
        assertBadRequest(api("GET", utf8("/api/images?label=%\uFF21\uFF21")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health?x=%zz", "/actuator/health/readiness?x=%", "/actuator/prometheus?x=%C3",
            "/actuator/hawtio/?x=%zz", "/actuator/jolokia/version?x=%G0", "/actuator/deadletters?x=%%",
            "/actuator/%zz", "/actuator/health/%C3"})
    void aMalformedEscapeIsTheApis400OnTheManagementPort(String target) {
        assertRefused(operator(target));
    }

    @Test
    void eachPortRegistersTheFilterOfItsOwn() {
        // the management server's configuration is its child context's alone: were the application's component
        // scan to pick it up, its registration would also cover the public port, and stand in for the public one
        assertThat(application.containsBean("managementMalformedEscapesFilter")).isFalse();
        assertThat(application.containsBean("malformedEscapesFilter")).isTrue();
    }

    @Test
    void wellFormedEscapesStillWork() {
        putObject("escapes/été 1.jpg", TestImages.jpeg(), "image/jpeg");
        awaitMetadata("escapes/été 1.jpg");

        RawHttp.Answer metadata = api("GET", "/api/images/escapes%2F%C3%A9t%C3%A9%201.jpg/metadata");
        assertThat(metadata.status()).as(metadata.body()).isEqualTo(200);
        assertThat(body(metadata).path("imageId").asText()).isEqualTo("escapes/été 1.jpg");
        RawHttp.Answer search = api("GET", "/api/images?label=%C3%A9t%C3%A9%20dog&limit=%35");
        assertThat(search.status()).as(search.body()).isEqualTo(200);
        assertThat(body(search).path("label").asText()).isEqualTo("été dog");
        RawHttp.Answer unknown = api("GET", "/api/images/escapes%2F%25%20none.jpg/metadata?x=100%25");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
        assertThat(operator("/actuator/health?x=%20%C3%A9").status()).isEqualTo(200);
    }

    @Test
    void theRefusalsAreCountedInTheRequestMetrics() {
        double before = refusalsCounted();

        assertRefused(api("GET", "/api/images?label=dog&cursor=%%%not-a-cursor"));

        Awaitility.await("the refusal counted").atMost(Duration.ofSeconds(10))
                .until(() -> refusalsCounted() > before);
    }

    /** The requests answered 400 so far, by http_server_requests_seconds_count. */
    private double refusalsCounted() {
        RawHttp.Answer prometheus = operator("/actuator/prometheus");
        assertThat(prometheus.status()).isEqualTo(200);
        double total = 0;
        for (Matcher m = REFUSALS.matcher(prometheus.body()); m.find(); ) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    private void assertRefused(RawHttp.Answer answer) {
        assertBadRequest(answer);
        assertThat(body(answer).path("message").asText()).contains("malformed percent-escape");
    }

    private void assertBadRequest(RawHttp.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.headers().get("content-type")).startsWith("application/json");
        JsonNode error = body(answer);
        assertThat(error.path("error").asText()).isEqualTo("bad_request");
        assertThat(error.properties()).hasSize(2);
    }

    private JsonNode body(RawHttp.Answer answer) {
        try {
            return json.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + answer.body(), e);
        }
    }
}
