package digiads.page;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import digiads.DigiadsProperties;
import digiads.api.ApiErrorWriter;
import digiads.live.StreamsController;
import digiads.ops.OperationsSecurityConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.ClientAuthorizationException;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The page's calls ({@code /app/api/…}), relayed to the API ({@code /api/…}, this instance's own
 * public port) with the signed-in user's access token: the gallery, the search by label and the
 * labels with their counts, an image's metadata, ads and picture, a presigned upload, a delete.
 * Nothing else is relayed. The API's answer (status, JSON,
 * Retry-After) comes back as it is; an image's picture is a redirect to its presigned URL.
 * {@code /app/api/me} tells the page who is signed in, with which scopes, and the CSRF token its
 * state-changing calls send.
 */
@RestController
public class PageApiController {

    private static final String PAGE_API = StreamsController.PAGE_API;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Longer than any API call takes (a read is bounded by its AWS call limits, getDigiAds by its budget). */
    private static final Duration RELAY_TIMEOUT = Duration.ofSeconds(15);

    private final OAuth2AuthorizedClientManager tokens;
    private final OperationsSecurityConfig.PublicPort publicPort;
    private final ApiErrorWriter errors;
    private final String api;
    private final long maxRequestBytes;

    public PageApiController(OAuth2AuthorizedClientManager tokens, OperationsSecurityConfig.PublicPort publicPort,
                             ApiErrorWriter errors, @Value("${digiads.api.context-path}") String api,
                             DigiadsProperties properties) {
        this.tokens = tokens;
        this.publicPort = publicPort;
        this.errors = errors;
        this.api = api;
        this.maxRequestBytes = properties.upload().maxRequestBytes();
    }

    /** Who is signed in, what their sign-in granted, and the CSRF token for the page's writes. */
    @GetMapping(PAGE_API + "/me")
    public Map<String, Object> me(Authentication user, CsrfToken csrf) {
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("name", user.getName());
        me.put("scopes", user.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("SCOPE_")).map(a -> a.substring("SCOPE_".length())).toList());
        me.put("csrfHeader", csrf.getHeaderName());
        me.put("csrfToken", csrf.getToken());
        return me;
    }

    @GetMapping({PAGE_API + "/gallery", PAGE_API + "/images", PAGE_API + "/labels", PAGE_API + "/images/*/metadata",
            PAGE_API + "/images/*/digiads"})
    public void read(Authentication user, HttpServletRequest request, HttpServletResponse response) throws IOException {
        relay(user, request, response, false);
    }

    @PostMapping(PAGE_API + "/images/uploads")
    public void presign(Authentication user, HttpServletRequest request, HttpServletResponse response) throws IOException {
        relay(user, request, response, false);
    }

    @DeleteMapping(PAGE_API + "/images/*")
    public void delete(Authentication user, HttpServletRequest request, HttpServletResponse response) throws IOException {
        relay(user, request, response, false);
    }

    /** The picture: a redirect to its presigned S3 URL, for an {@code img} element. */
    @GetMapping(PAGE_API + "/images/*/picture")
    public void picture(Authentication user, HttpServletRequest request, HttpServletResponse response) throws IOException {
        relay(user, request, response, true);
    }

    private void relay(Authentication user, HttpServletRequest request, HttpServletResponse response, boolean redirect)
            throws IOException {
        String token = accessToken(user, request, response);
        if (token == null) {
            errors.write(response, 401, "unauthorized", "your sign-in has expired: sign in again");
            return;
        }
        String path = api + request.getRequestURI().substring(PAGE_API.length());
        String query = request.getQueryString();
        HttpRequest.Builder relayed = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + publicPort.port() + path
                        + (query == null ? "" : "?" + query)))
                .timeout(RELAY_TIMEOUT)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        if ("POST".equals(request.getMethod())) {
            byte[] body = request.getInputStream().readNBytes((int) maxRequestBytes + 1);
            String type = request.getContentType();
            relayed.header(HttpHeaders.CONTENT_TYPE, type == null ? "application/octet-stream" : type)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            relayed.method(request.getMethod(), HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> answer;
        try {
            answer = HTTP.send(relayed.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            errors.write(response, 503, "service_unavailable", "the request was interrupted");
            return;
        } catch (IOException e) {
            response.setHeader(HttpHeaders.RETRY_AFTER, "5");
            errors.write(response, 503, "service_unavailable", "the API did not answer: " + e.getMessage());
            return;
        }
        if (redirect && answer.statusCode() == 200) {
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            response.sendRedirect(pictureUrl(answer.body()));
            return;
        }
        response.setStatus(answer.statusCode());
        for (String header : List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.RETRY_AFTER)) {
            answer.headers().firstValue(header).ifPresent(value -> response.setHeader(header, value));
        }
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.getOutputStream().write(answer.body());
    }

    private String pictureUrl(byte[] json) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("url").asText();
    }

    /** The signed-in user's access token (refreshed when it has expired and can be), or null. */
    private String accessToken(Authentication user, HttpServletRequest request, HttpServletResponse response) {
        OAuth2AuthorizedClient client = authorized(tokens, user, request, response);
        return client == null ? null : client.getAccessToken().getTokenValue();
    }

    /** Whether the request's user holds an access token that has not expired (refreshed if it can be). */
    static boolean signedIn(OAuth2AuthorizedClientManager tokens, HttpServletRequest request, HttpServletResponse response) {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        OAuth2AuthorizedClient client = user == null ? null : authorized(tokens, user, request, response);
        Instant expiresAt = client == null ? null : client.getAccessToken().getExpiresAt();
        return client != null && (expiresAt == null || expiresAt.isAfter(Instant.now()));
    }

    private static OAuth2AuthorizedClient authorized(OAuth2AuthorizedClientManager tokens, Authentication user,
                                                     HttpServletRequest request, HttpServletResponse response) {
        try {
            return tokens.authorize(OAuth2AuthorizeRequest
                    .withClientRegistrationId(PageSecurityConfig.REGISTRATION).principal(user)
                    .attribute(HttpServletRequest.class.getName(), request)
                    .attribute(HttpServletResponse.class.getName(), response).build());
        } catch (ClientAuthorizationException e) {
            return null;
        }
    }
}
