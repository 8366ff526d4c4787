package digiads.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.local.LocalIssuer;
import digiads.local.LocalIssuer.Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The security matrix of README "Security", row by row: who may call what, with which token, and
 * what a hostile request gets. Every refusal is the API's JSON error and changes nothing.
 */
class SecurityMatrixIntegrationTest extends MotoTestSupport {

    private static final String READ = "digiads/images.read";
    private static final String WRITE = "digiads/images.write";

    private HttpRequest.Builder metadataOf(String imageId) {
        return HttpRequest.newBuilder(uri("/api/images/" + segment(imageId) + "/metadata")).GET();
    }

    private HttpRequest.Builder uploadOf(String name) {
        return HttpRequest.newBuilder(uri("/api/images?name=" + segment(name)))
                .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.jpeg()));
    }

    private HttpResponse<String> withToken(String token, HttpRequest.Builder request) {
        return sendAsIs(request.header("Authorization", "Bearer " + token).build());
    }

    private static JWTClaimsSet.Builder claims(String issuer, String scope) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer).subject("digiads-dev").claim("scope", scope)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)));
    }

    private void assertError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = body(response);
        assertThat(body.path("error").asText()).isEqualTo(error);
        assertThat(body.path("message").asText()).isNotBlank();
    }

    private void assertNotStored(String imageId) {
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(PREFIX + imageId)).contents()).isEmpty();
    }

    @Test
    void withoutATokenNothingIsAnswered() {
        for (HttpRequest.Builder request : List.of(metadataOf("any.jpg"),
                HttpRequest.newBuilder(uri("/api/images/any.jpg/digiads")).GET(), uploadOf("anonymous.jpg"),
                HttpRequest.newBuilder(uri("/api/images/any.jpg")).DELETE())) {
            HttpResponse<String> response = sendAsIs(request.build());
            assertError(response, 401, "unauthorized");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    value -> assertThat(value).startsWith("Bearer"));
        }
        assertNotStored("anonymous.jpg");
    }

    @Test
    void anExpiredTokenIsRefused() {
        LocalIssuer.Running issuer = LocalIssuer.shared();
        Instant past = Instant.now().minusSeconds(7200);
        String expired = issuer.sign(claims(issuer.url(), READ + " " + WRITE)
                .issueTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(3600))).build());

        HttpResponse<String> response = withToken(expired, metadataOf("any.jpg"));

        assertError(response, 401, "unauthorized");
        assertThat(body(response).path("message").asText()).contains("expired");
    }

    @Test
    void aTokenOfAnotherIssuerIsRefused() {
        LocalIssuer.Running issuer = LocalIssuer.shared();
        // signed by a key the issuer does not have
        String foreign = LocalIssuer.sign(LocalIssuer.newKey(), claims(issuer.url(), READ).build());
        // signed with the issuer's key but naming another issuer
        String misnamed = issuer.sign(claims("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other", READ).build());

        assertError(withToken(foreign, metadataOf("any.jpg")), 401, "unauthorized");
        assertError(withToken(misnamed, metadataOf("any.jpg")), 401, "unauthorized");
        assertError(withToken("not-a-jwt", metadataOf("any.jpg")), 401, "unauthorized");
    }

    @Test
    void anIdTokenIsNotAnAccessToken() {
        LocalIssuer.Running issuer = LocalIssuer.shared();
        String idToken = issuer.sign(claims(issuer.url(), READ).claim("token_use", "id").build());
        String accessToken = issuer.sign(claims(issuer.url(), READ).claim("token_use", "access").build());

        assertError(withToken(idToken, metadataOf("any.jpg")), 401, "unauthorized");
        assertError(withToken(accessToken, metadataOf("no-such.jpg")), 404, "not_found");
    }

    @Test
    void aReadTokenCannotWriteAndAWriteTokenCannotRead() {
        String name = "read-only-" + UUID.randomUUID() + ".jpg";

        HttpResponse<String> upload = send(as(Client.READER, uploadOf(name)));
        assertError(upload, 403, "forbidden");
        assertThat(body(upload).path("message").asText()).contains(WRITE);
        assertThat(upload.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).contains("insufficient_scope"));
        assertError(send(as(Client.READER, HttpRequest.newBuilder(uri("/api/images/" + name)).DELETE())),
                403, "forbidden");
        assertNotStored(name);

        HttpResponse<String> read = send(as(Client.WRITER, metadataOf(name)));
        assertError(read, 403, "forbidden");
        assertThat(body(read).path("message").asText()).contains(READ);
        assertError(send(as(Client.WRITER, HttpRequest.newBuilder(uri("/api/images/" + name + "/digiads")).GET())),
                403, "forbidden");

        assertThat(send(as(Client.WRITER, uploadOf(name))).statusCode()).isEqualTo(202);
        assertThat(send(as(Client.READER, metadataOf(name))).statusCode()).isIn(200, 404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..%2F..%2Fetc%2Fpasswd", "%2E%2E%2Fimages%2Fx.jpg", "a%00b.jpg", "a%0Ab.jpg",
            "a%0D%0AX-Injected:%201", "%2F", "..", "a%5C..%5Cb"})
    void traversalAndControlCharactersInIdsNameNoImage(String segment) {
        HttpResponse<String> read = send(HttpRequest.newBuilder(uri("/api/images/" + segment + "/metadata")).GET());
        assertThat(read.statusCode()).as(segment + ": " + read.body()).isIn(400, 404);
        assertThat(body(read).path("error").asText()).isIn("bad_request", "not_found");
        assertThat(read.headers().map()).doesNotContainKey("x-injected");

        HttpResponse<String> delete = send(HttpRequest.newBuilder(uri("/api/images/" + segment)).DELETE());
        assertThat(delete.statusCode()).as(segment + ": " + delete.body()).isIn(400, 404);
    }

    @Test
    void aFloodOfWritesFromOneClientIsCutWithRetryAfterWhileOthersGoOn() throws Exception {
        int requests = 1000;
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        long started = System.nanoTime();
        try {
            String writer = token(Client.WRITER);
            for (int i = 0; i < requests; i++) {
                // an empty upload: allowed ones end in 400 and store nothing, limited ones in 429
                flood.add(CompletableFuture.supplyAsync(() -> withToken(writer, HttpRequest.newBuilder(uri("/api/images"))
                        .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.noBody())), pool));
            }
            // meanwhile another client writes, and the flooding client reads, unhindered
            assertThat(send(as(Client.DEV, HttpRequest.newBuilder(uri("/api/images")).header("Content-Type", "image/jpeg")
                    .POST(HttpRequest.BodyPublishers.noBody()))).statusCode()).isEqualTo(400);
            CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).join();
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        List<HttpResponse<String>> limited = flood.stream().map(CompletableFuture::join)
                .filter(r -> r.statusCode() == 429).toList();
        long allowed = flood.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 400).count();
        assertThat(allowed + limited.size()).as("every write is allowed (400: empty) or limited (429)").isEqualTo(requests);
        // burst 20, then 10 a second (application.properties)
        assertThat(allowed).as("allowed in %.1f s", seconds).isBetween(20L, 20L + (long) Math.ceil(seconds * 10) + 1);
        HttpResponse<String> first = limited.get(0);
        assertError(first, 429, "too_many_requests");
        assertThat(first.headers().firstValue("Retry-After")).hasValueSatisfying(
                value -> assertThat(Integer.parseInt(value)).isBetween(1, 2));
    }

    @Test
    void theFirewallIsLooseForImageIdsUnderTheApiOnly() {
        // an encoded slash is part of an image id under /api ...
        assertError(send(metadataOf("a/b.jpg")), 404, "not_found");
        // ... and refused anywhere else, on either port
        assertError(sendAsIs(HttpRequest.newBuilder(uri("/other%2Fpath")).GET().build()), 400, "bad_request");
        HttpResponse<String> management = sendAsIs(asOperator(HttpRequest.newBuilder(
                managementUri("/actuator/jolokia/read/java.lang:type=Memory%2FHeapMemoryUsage"))).GET().build());
        assertError(management, 400, "bad_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/liveness", "/actuator/prometheus",
            "/actuator/hawtio/", "/actuator/jolokia/version", "/actuator/deadletters", "/login", "/login.html"})
    void operationsAreNotOnThePublicPort(String path) {
        assertError(sendAsIs(HttpRequest.newBuilder(uri(path)).GET().build()), 404, "not_found");
        assertError(send(as(Client.DEV, HttpRequest.newBuilder(uri(path)).GET())), 404, "not_found");
    }

    @Test
    void thePageIsPublicButItsCallsAndStreamsNeedASignedInSessionNotABearerToken() {
        HttpResponse<String> page = sendAsIs(HttpRequest.newBuilder(uri("/")).GET().build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>digiads</title>").doesNotContain("http://", "https://");
        for (String path : List.of("/app/api/me", "/app/api/gallery", "/app/api/events", "/app/api/images/a.jpg/events",
                "/app/api/images/a.jpg/digiads", "/app/api/images?label=Dog", "/app/api/labels")) {
            assertError(sendAsIs(HttpRequest.newBuilder(uri(path)).GET().build()), 401, "unauthorized");
            // the API's bearer tokens are not the page's sign-in
            assertError(send(as(Client.DEV, HttpRequest.newBuilder(uri(path)).GET())), 401, "unauthorized");
        }
        // a write without the session's CSRF token is refused before anything else
        HttpResponse<String> delete = sendAsIs(HttpRequest.newBuilder(uri("/app/api/images/a.jpg")).DELETE().build());
        assertThat(delete.statusCode()).isIn(401, 403);
        // the sign-in starts at the issuer, with PKCE
        HttpResponse<String> signIn = sendAsIs(HttpRequest.newBuilder(uri("/oauth2/authorization/digiads")).GET().build());
        assertThat(signIn.statusCode()).isEqualTo(302);
        assertThat(signIn.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location)
                .startsWith(LocalIssuer.shared().url() + "/oauth2/authorize?")
                .contains("code_challenge=", "code_challenge_method=S256", "client_id=digiads-page"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/prometheus", "/actuator/jolokia/version", "/actuator/hawtio/",
            "/actuator/deadletters", "/actuator/camelroutes", "/actuator/info"})
    void operatorEndpointsNeedTheOperatorsLogin(String path) {
        HttpResponse<String> anonymous = management(path);
        assertThat(anonymous.statusCode()).as(path).isIn(401, 302);
        assertThat(anonymous.body()).doesNotContain("\"value\"", "camel_exchanges", "digiads-s3-events");
        // an API token is no operator login
        assertThat(sendAsIs(HttpRequest.newBuilder(managementUri(path))
                .header("Authorization", "Bearer " + token(Client.DEV)).GET().build()).statusCode()).isIn(401, 302);
        assertThat(getAsOperator(path).statusCode()).as(path).isEqualTo(200);
    }

    @Test
    void healthIsPublicButItsDetailsAreTheOperators() {
        JsonNode anonymous = body(management("/actuator/health/readiness"));
        assertThat(anonymous.path("status").asText()).isEqualTo("UP");
        assertThat(anonymous.toString()).doesNotContain(TABLE, "digiads-s3-events");

        JsonNode operator = body(getAsOperator("/actuator/health/readiness"));
        assertThat(operator.toString()).contains(TABLE);
    }

    @Test
    void jolokiaDoesNotTellTheRuntimesArgumentsPropertiesOrPaths() {
        for (String attribute : List.of("InputArguments", "SystemProperties", "ClassPath", "BootClassPath", "LibraryPath")) {
            JsonNode read = body(getAsOperator("/actuator/jolokia/read/java.lang:type=Runtime/" + attribute));
            assertThat(read.path("status").asInt()).as(attribute).isEqualTo(403);
        }
        // the console's view of the whole MBean: the rest is there, the denied attributes are errors
        HttpResponse<String> runtime = getAsOperator("/actuator/jolokia/read/java.lang:type=Runtime?ignoreErrors=true");
        assertThat(body(runtime).path("status").asInt()).as(runtime.body()).isEqualTo(200);
        assertThat(body(runtime).path("value").path("Uptime").isNumber()).isTrue();
        assertThat(runtime.body()).doesNotContain("java.home", "java.class.path", "surefire");

        // everything an operator can read, denied attributes left out as errors
        HttpResponse<String> everything = getAsOperator("/actuator/jolokia/read/*:*?ignoreErrors=true");
        assertThat(body(everything).path("status").asInt()).as(everything.body()).isEqualTo(200);
        assertThat(everything.body()).contains("Uptime", "image-events");
        assertThat(everything.body()).doesNotContain(ADMIN_PASSWORD, "java.class.path", "test-key");

        JsonNode environment = body(getAsOperator("/actuator/jolokia/exec/com.sun.management:type=DiagnosticCommand/vmSystemProperties()"));
        assertThat(environment.path("status").asInt()).isEqualTo(403);
    }
}
