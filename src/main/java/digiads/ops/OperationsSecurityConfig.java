package digiads.ops;

import java.io.IOException;
import java.util.function.Supplier;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Operations live on the management port ({@code management.server.port}), never on the public
 * one: Hawtio, Jolokia and every actuator endpoint but health need the operator's login (a form
 * for people, HTTP Basic for tools such as Prometheus); the operator comes from
 * {@code spring.security.user.*}, set from the environment. Outside the local profile the app does
 * not start without an operator password. The public port serves the API and nothing else.
 */
@Configuration(proxyBeanMethods = false)
public class OperationsSecurityConfig {

    private static final Logger LOG = LoggerFactory.getLogger(OperationsSecurityConfig.class);

    /**
     * The public port's requests outside {@code /api} and the page's paths: nothing is served there,
     * so they end in the API's 404. Matched by the public port itself: until that port is known no request matches here
     * and the operations chain (login required) applies.
     */
    @Bean
    @Order(3)
    SecurityFilterChain publicPortOutsideApi(HttpSecurity http, PublicPort publicPort) throws Exception {
        return http.securityMatcher(publicPort)
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    @Bean
    @Order(4)
    SecurityFilterChain operations(HttpSecurity http, Environment env) throws Exception {
        requireManagementPort(env);
        return http
                .authorizeHttpRequests(auth -> auth
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                        .anyRequest().authenticated())
                .formLogin(Customizer.withDefaults())
                .httpBasic(Customizer.withDefaults())
                // Hawtio is a single-page app: it reads the CSRF token from a cookie (as in Hawtio's own example)
                .csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new SpaCsrfTokenRequestHandler())
                        // the dead-letter redrive is called by tools with HTTP Basic, not from a page
                        .ignoringRequestMatchers(EndpointRequest.to(DeadLetters.class)))
                .addFilterAfter(new CsrfCookieFilter(), BasicAuthenticationFilter.class)
                .build();
    }

    /** Operations are never served on the public port: the app does not start otherwise. */
    static void requireManagementPort(Environment env) {
        if (ManagementPortType.get(env) != ManagementPortType.DIFFERENT) {
            throw new IllegalStateException("Operations must be off the public port: set management.server.port "
                    + "to a port other than server.port (default 8081)");
        }
    }

    /**
     * The operator, from {@code spring.security.user.*} (Spring Boot's own in-memory user backs off
     * once the API's token decoder exists). Without a password the app does not start, except in the
     * local profile, where one is generated and logged.
     */
    @Bean
    InMemoryUserDetailsManager operator(SecurityProperties security, Environment env) {
        SecurityProperties.User user = security.getUser();
        if (user.isPasswordGenerated()) {
            if (!env.acceptsProfiles(Profiles.of("local"))) {
                throw new IllegalStateException("No operator password: set SPRING_SECURITY_USER_PASSWORD, the "
                        + "operator's login for Hawtio, Jolokia and the actuator endpoints. Only the local profile "
                        + "runs with a generated one.");
            }
            LOG.warn("Operator '{}' has the generated password {} (local profile only)", user.getName(), user.getPassword());
        }
        String password = user.getPassword();
        boolean encoded = password.matches("^\\{.+}.*$");
        return new InMemoryUserDetailsManager(User.withUsername(user.getName())
                .password(encoded ? password : "{noop}" + password)
                .roles(user.getRoles().toArray(String[]::new)).build());
    }

    @Bean
    PublicPort publicPort() {
        return new PublicPort();
    }

    /** Matches requests that arrived on the public port (learnt when its server starts). */
    public static final class PublicPort implements RequestMatcher, ApplicationListener<WebServerInitializedEvent> {

        private volatile int port = -1;

        @Override
        public void onApplicationEvent(WebServerInitializedEvent event) {
            if (event.getApplicationContext().getServerNamespace() == null) {
                port = event.getWebServer().getPort();
            }
        }

        @Override
        public boolean matches(HttpServletRequest request) {
            return request.getLocalPort() == port;
        }

        /** The public port, once its server has started (-1 before). */
        public int port() {
            return port;
        }
    }

    /** Accepts the token from Hawtio's header as sent, and the masked form from rendered pages. */
    static final class SpaCsrfTokenRequestHandler extends CsrfTokenRequestAttributeHandler {
        private final CsrfTokenRequestHandler delegate = new XorCsrfTokenRequestAttributeHandler();

        @Override
        public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> csrfToken) {
            delegate.handle(request, response, csrfToken);
        }

        @Override
        public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken csrfToken) {
            return StringUtils.hasText(request.getHeader(csrfToken.getHeaderName()))
                    ? super.resolveCsrfTokenValue(request, csrfToken)
                    : delegate.resolveCsrfTokenValue(request, csrfToken);
        }
    }

    /** Makes sure the CSRF cookie is written, so the console has a token to send. */
    static final class CsrfCookieFilter extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
            if (token != null) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
    }
}
