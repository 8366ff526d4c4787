package digiads.security;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import digiads.DigiadsProperties;
import digiads.api.ApiErrorWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may call {@code /api}: a caller with a bearer JWT of the configured issuer (Spring Security's
 * OAuth2 resource server). Writes (upload, presigned upload, delete) need the write scope, reads the
 * read scope; the OpenAPI document is public. No token or a bad one is a 401, a missing scope a 403,
 * too many writes from one client a 429 with Retry-After: each the API's JSON error.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class ApiSecurityConfig {

    private final String api;
    private final DigiadsProperties.Security settings;
    /** The API's writes: everything else under the API is a read. One definition for access and rate limits. */
    private final RequestMatcher writes;

    public ApiSecurityConfig(@Value("${digiads.api.context-path}") String api, DigiadsProperties properties) {
        this.api = api;
        this.settings = properties.security();
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        this.writes = new OrRequestMatcher(
                paths.matcher(HttpMethod.POST, api + "/images"),
                paths.matcher(HttpMethod.POST, api + "/images/uploads"),
                paths.matcher(HttpMethod.DELETE, api + "/images/*"));
    }

    /**
     * No Micrometer observation around each security filter and authentication, in every filter chain
     * (Spring Security's default once an observation registry exists): per request that was a dozen
     * observations started and stopped, for metrics no one reads. Requests are still timed as a whole
     * ({@code http_server_requests_seconds}).
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, ApiErrorWriter errors, WriteRateLimits limits) throws Exception {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        AuthenticationEntryPoint unauthorized = unauthorized(errors);
        AccessDeniedHandler forbidden = forbidden(errors);
        return http.securityMatcher(paths.matcher(api + "/**"))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(paths.matcher(HttpMethod.GET, api + "/openapi.json")).permitAll()
                        .requestMatchers(writes).hasAuthority(authority(settings.writeScope()))
                        .requestMatchers(paths.matcher(HttpMethod.GET, api + "/**")).hasAuthority(authority(settings.readScope()))
                        .anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(Customizer.withDefaults())
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterAfter(new WriteRateLimitFilter(writes, limits, errors), AuthorizationFilter.class)
                .build();
    }

    /**
     * Tokens of the issuer, signed with its keys (fetched on first use, from {@code jwk-set-uri} or
     * the issuer's discovery document), within their lifetime, and access tokens only: Cognito's ID
     * tokens share its issuer and keys but say {@code token_use: id}. A token's signature is verified
     * the first time it is seen; its claims on every request ({@link VerifiedTokens}).
     */
    @Bean
    JwtDecoder jwtDecoder() {
        OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(settings.issuerUri()),
                new JwtClaimValidator<Object>("token_use", use -> use == null || "access".equals(use)));
        return new VerifiedTokens(new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = StringUtils.hasText(settings.jwkSetUri())
                    ? NimbusJwtDecoder.withJwkSetUri(settings.jwkSetUri()).build()
                    : (NimbusJwtDecoder) JwtDecoders.fromIssuerLocation(settings.issuerUri());
            decoder.setJwtValidator(validator);
            return decoder;
        }), validator, settings.verifiedTokens());
    }

    /**
     * Image ids may hold a slash or a percent sign, sent percent-encoded in one path segment
     * ({@code %2F}, {@code %25}), and the API ignores unknown query parameters whatever their names:
     * under {@code /api/} and the page's relay of it ({@code /app/api/}) only, the firewall lets such
     * requests through. Everywhere else it is strict. Both judge headers by the firewall's own rule,
     * tested without regular expressions, and every header is judged before any filter reads one
     * ({@link HeaderCharacters}).
     */
    @Bean
    HttpFirewall httpFirewall() {
        StrictHttpFirewall strict = new StrictHttpFirewall();
        StrictHttpFirewall apiPaths = new StrictHttpFirewall();
        for (StrictHttpFirewall firewall : List.of(strict, apiPaths)) {
            firewall.setAllowedHeaderNames(HeaderCharacters.NAME);
            firewall.setAllowedHeaderValues(HeaderCharacters.VALUE);
        }
        apiPaths.setAllowUrlEncodedSlash(true);
        apiPaths.setAllowUrlEncodedPercent(true);
        apiPaths.setAllowSemicolon(true);
        // an unsupported method (TRACE, …) gets its 405 from the web layer rather than a 400 here
        apiPaths.setUnsafeAllowAnyHttpMethod(true);
        apiPaths.setAllowedParameterNames(name -> true);
        apiPaths.setAllowedParameterValues(value -> true);
        String prefix = api + "/";
        String pagePrefix = digiads.live.StreamsController.PAGE_API + "/";
        return new HttpFirewall() {
            @Override
            public FirewalledRequest getFirewalledRequest(
                    HttpServletRequest request) {
                // the error page of an API request (its 404, 405, …) is judged as that request
                Object failed = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
                String uri = failed instanceof String original ? original : request.getRequestURI();
                boolean ids = uri != null && (uri.startsWith(prefix) || uri.startsWith(pagePrefix));
                FirewalledRequest firewalled = (ids ? apiPaths : strict).getFirewalledRequest(request);
                HeaderCharacters.requireAllowed(request);
                return firewalled;
            }

            @Override
            public HttpServletResponse getFirewalledResponse(HttpServletResponse response) {
                return strict.getFirewalledResponse(response);
            }
        };
    }

    /**
     * What the firewall still refuses (encoded dots, line breaks, NUL in a path) is answered as JSON:
     * as a lookup of an image, such an id names no image (404); anything else is a 400, and so is a
     * header with a control character in it, whatever the path.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler(ApiErrorWriter errors) {
        String images = api + "/images/";
        return (request, response, rejected) -> {
            boolean imageLookup = request.getRequestURI().startsWith(images)
                    && ("GET".equals(request.getMethod()) || "DELETE".equals(request.getMethod()));
            if (rejected instanceof HeaderCharacters.RejectedHeaderException header) {
                errors.write(response, 400, "bad_request", "the request was refused: " + header.getMessage());
            } else if (imageLookup) {
                errors.write(response, 404, "not_found", "no image can have this id");
            } else {
                errors.write(response, 400, "bad_request",
                        "the request was refused: its URL holds characters that are not accepted");
            }
        };
    }

    private static AuthenticationEntryPoint unauthorized(ApiErrorWriter errors) {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        return (request, response, exception) -> {
            bearer.commence(request, response, exception); // 401 and WWW-Authenticate: Bearer ...
            String message = exception instanceof OAuth2AuthenticationException oauth
                    && StringUtils.hasText(oauth.getError().getDescription())
                    ? "the access token was not accepted: " + oauth.getError().getDescription()
                    : "an access token is required: send Authorization: Bearer <access token>";
            errors.write(response, 401, "unauthorized", message);
        };
    }

    private AccessDeniedHandler forbidden(ApiErrorWriter errors) {
        BearerTokenAccessDeniedHandler bearer = new BearerTokenAccessDeniedHandler();
        return (request, response, exception) -> {
            bearer.handle(request, response, exception); // 403 and WWW-Authenticate: ... insufficient_scope
            String scope = writes.matches(request) ? settings.writeScope() : settings.readScope();
            errors.write(response, 403, "forbidden", "this operation needs an access token with the scope " + scope);
        };
    }

    private static String authority(String scope) {
        return "SCOPE_" + scope;
    }

    /** 429 with Retry-After for a client's write beyond its rate ({@link WriteRateLimits}). */
    static final class WriteRateLimitFilter extends OncePerRequestFilter {

        private final RequestMatcher writes;
        private final WriteRateLimits limits;
        private final ApiErrorWriter errors;

        WriteRateLimitFilter(RequestMatcher writes, WriteRateLimits limits, ApiErrorWriter errors) {
            this.writes = writes;
            this.limits = limits;
            this.errors = errors;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            Authentication caller = SecurityContextHolder.getContext().getAuthentication();
            if (caller != null && writes.matches(request)) {
                Optional<Duration> wait = limits.tryWrite(caller.getName());
                if (wait.isPresent()) {
                    long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
                    response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
                    errors.write(response, 429, "too_many_requests",
                            "too many writes from client " + caller.getName() + "; retry after " + seconds + " s");
                    return;
                }
            }
            chain.doFilter(request, response);
        }
    }
}
