package digiads.page;

import java.io.IOException;

import digiads.DigiadsProperties;
import digiads.api.ApiErrorWriter;
import digiads.live.StreamsController;
import digiads.ops.OperationsSecurityConfig;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.SupplierClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.util.StringUtils;

/**
 * The page ({@code /}) and its own calls ({@code /app/api/**}): a backend for the frontend. The user
 * signs in at the issuer (Cognito on AWS, the local issuer on a laptop) with the authorization code
 * grant and PKCE, through Spring Security's {@code oauth2Login}; the tokens stay on the server, in the
 * user's session, and never reach the browser, which holds only an HttpOnly session cookie
 * ({@code digiads-session}, SameSite=Lax: server.servlet.session.cookie.same-site). The page's calls are relayed to {@code /api} with the
 * user's access token ({@link PageApiController}): the API's own chain decides what they may do,
 * by the same scopes as for any client, and its write limits count the user. State-changing calls
 * need the session's CSRF token (a header). The event streams, which EventSource cannot send a
 * token with, are served on the page's paths to the session, for a user whose sign-in granted the
 * read scope; {@code /api} itself keeps taking bearer tokens only.
 */
@Configuration(proxyBeanMethods = false)
public class PageSecurityConfig {

    public static final String REGISTRATION = "digiads";
    public static final String SESSION_COOKIE = "digiads-session";

    @Bean
    @Order(2)
    SecurityFilterChain page(HttpSecurity http, OperationsSecurityConfig.PublicPort publicPort,
                             ClientRegistrationRepository clients, OAuth2AuthorizedClientRepository authorizedClients,
                             OAuth2AuthorizedClientManager tokens, ApiErrorWriter errors,
                             DigiadsProperties properties) throws Exception {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        String pageApi = StreamsController.PAGE_API;
        var pagePaths = new OrRequestMatcher(paths.matcher("/"), paths.matcher("/index.html"),
                paths.matcher("/app/**"), paths.matcher("/favicon.ico"), paths.matcher("/oauth2/authorization/**"),
                paths.matcher("/login/oauth2/code/**"), paths.matcher("/logout"));
        OAuth2AuthorizationRequestResolver pkce = pkce(clients);
        String readScope = "SCOPE_" + properties.security().readScope();
        RequestMatcher streams = new OrRequestMatcher(paths.matcher(HttpMethod.GET, pageApi + "/events"),
                paths.matcher(HttpMethod.GET, pageApi + "/images/*/events"));
        return http.securityMatcher(new AndRequestMatcher(publicPort, pagePaths))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(streams).hasAuthority(readScope)
                        .requestMatchers(paths.matcher(pageApi + "/**")).authenticated()
                        .anyRequest().permitAll())
                .oauth2Login(login -> login
                        .loginPage("/")
                        .authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(pkce))
                        .authorizedClientRepository(authorizedClients)
                        .defaultSuccessUrl("/", true)
                        .failureUrl("/?signin=failed"))
                .logout(logout -> logout.logoutSuccessUrl("/"))
                .exceptionHandling(exceptions -> exceptions
                        .defaultAuthenticationEntryPointFor((request, response, e) -> errors.write(response, 401,
                                "unauthorized", "sign in first"), paths.matcher(pageApi + "/**"))
                        .defaultAccessDeniedHandlerFor((request, response, e) -> errors.write(response, 403,
                                "forbidden", "your sign-in does not grant the scope " + properties.security().readScope()),
                                paths.matcher(pageApi + "/**")))
                .requestCache(cache -> cache.disable())
                .addFilterAfter(new StreamsNeedALiveSignIn(streams, tokens, errors), AuthorizationFilter.class)
                .build();
    }

    /**
     * Every sign-in with PKCE (S256): Spring Security adds it for a public client by itself, and here
     * for a confidential one (a client secret given) too.
     */
    static OAuth2AuthorizationRequestResolver pkce(ClientRegistrationRepository clients) {
        DefaultOAuth2AuthorizationRequestResolver resolver = new DefaultOAuth2AuthorizationRequestResolver(clients,
                "/oauth2/authorization");
        resolver.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
        return resolver;
    }

    /**
     * A stream outlives the calls of a page: it is opened (and every 10 minutes reopened) only while
     * the user's access token is still valid or can be refreshed, as a relayed call would be.
     */
    static final class StreamsNeedALiveSignIn extends OncePerRequestFilter {

        private final RequestMatcher streams;
        private final OAuth2AuthorizedClientManager tokens;
        private final ApiErrorWriter errors;

        StreamsNeedALiveSignIn(RequestMatcher streams, OAuth2AuthorizedClientManager tokens, ApiErrorWriter errors) {
            this.streams = streams;
            this.tokens = tokens;
            this.errors = errors;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (streams.matches(request) && !PageApiController.signedIn(tokens, request, response)) {
                errors.write(response, 401, "unauthorized", "your sign-in has expired: sign in again");
                return;
            }
            chain.doFilter(request, response);
        }
    }

    /**
     * The page's client of the issuer, resolved on first use: the app starts while the issuer does not
     * answer, as the API's token decoder does.
     */
    @Bean
    ClientRegistrationRepository pageClientRegistrations(PageProperties page) {
        return new SupplierClientRegistrationRepository(() -> new InMemoryClientRegistrationRepository(registration(page)));
    }

    static ClientRegistration registration(PageProperties page) {
        ClientRegistration.Builder builder = page.endpointsGiven()
                ? ClientRegistration.withRegistrationId(REGISTRATION)
                        .authorizationUri(page.authorizationUri()).tokenUri(page.tokenUri())
                        .jwkSetUri(page.jwkSetUri()).userInfoUri(page.userInfoUri()).issuerUri(page.issuerUri())
                        .userNameAttributeName(IdTokenClaimNames.SUB)
                : ClientRegistrations.fromIssuerLocation(page.issuerUri()).registrationId(REGISTRATION);
        boolean confidential = StringUtils.hasText(page.clientSecret());
        return builder.clientId(page.clientId())
                .clientSecret(confidential ? page.clientSecret() : null)
                .clientAuthenticationMethod(confidential ? ClientAuthenticationMethod.CLIENT_SECRET_BASIC
                        : ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri(page.redirectUri())
                .scope(page.scopes())
                .clientName("digiads")
                .build();
    }

    /** A signed-in user's tokens live in their session: they go with it (sign-out, expiry). */
    @Bean
    OAuth2AuthorizedClientRepository pageAuthorizedClients() {
        return new HttpSessionOAuth2AuthorizedClientRepository();
    }

    /** The user's current access token, refreshed with the refresh token when it has expired. */
    @Bean
    OAuth2AuthorizedClientManager pageAuthorizedClientManager(ClientRegistrationRepository clients,
                                                              OAuth2AuthorizedClientRepository authorizedClients) {
        DefaultOAuth2AuthorizedClientManager manager = new DefaultOAuth2AuthorizedClientManager(clients, authorizedClients);
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder()
                .authorizationCode().refreshToken().build());
        return manager;
    }

    /**
     * The page's session cookie, on the public port only: a name of its own (the management port's
     * operator session keeps JSESSIONID), HttpOnly, Secure behind HTTPS.
     */
    @Bean
    ServletContextInitializer pageSessionCookie(PageProperties page) {
        return (ServletContext context) -> {
            context.getSessionCookieConfig().setName(SESSION_COOKIE);
            context.getSessionCookieConfig().setHttpOnly(true);
            context.getSessionCookieConfig().setSecure(page.secureCookie());
        };
    }
}
