package digiads.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * The local OAuth2 issuer: Spring Authorization Server, in its own Spring context and on its own
 * port, with the API's clients from {@code local-issuer.properties} (client_credentials; see the
 * README). The run command starts it on port 9000; the tests share one per JVM on a free port. It
 * signs real JWTs with a key made at start, which the app fetches from its JWK set as it would
 * Cognito's. Tests may also sign tokens of their own with that key (expired ones, other issuers).
 * It lives in the test sources: nothing of it reaches the production jar.
 */
@ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, ServletWebServerFactoryAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class, ErrorMvcAutoConfiguration.class,
        HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class, SecurityAutoConfiguration.class,
        SecurityFilterAutoConfiguration.class, UserDetailsServiceAutoConfiguration.class,
        OAuth2AuthorizationServerAutoConfiguration.class, OAuth2AuthorizationServerJwtAutoConfiguration.class})
public class LocalIssuer {

    /** The clients of local-issuer.properties: id and secret. */
    public record Client(String id, String secret) {
        public static final Client DEV = new Client("digiads-dev", "digiads-dev-secret");
        public static final Client READER = new Client("digiads-reader", "digiads-reader-secret");
        public static final Client WRITER = new Client("digiads-writer", "digiads-writer-secret");
    }

    public static final int DEFAULT_PORT = 9000;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Running shared;

    /** A started issuer: its URL (the tokens' iss) and its signing key. */
    public record Running(String url, RSAKey key, ConfigurableApplicationContext context) {

        public String tokenEndpoint() {
            return url + "/oauth2/token";
        }

        /** An access token for the client, by client_credentials with every scope it is allowed. */
        public String token(Client client) {
            String basic = Base64.getEncoder().encodeToString(
                    (client.id() + ":" + client.secret()).getBytes(StandardCharsets.UTF_8));
            HttpRequest request = HttpRequest.newBuilder(URI.create(tokenEndpoint()))
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("no token for " + client.id() + ": " + response.body());
                }
                return new ObjectMapper().readTree(response.body()).get("access_token").asText();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** A token with these claims signed by this issuer's key, e.g. an expired one. */
        public String sign(JWTClaimsSet claims) {
            return LocalIssuer.sign(key, claims);
        }
    }

    /**
     * Starts an issuer on the port; its tokens carry {@code url} as iss (the address clients use).
     * In-process (next to the app or tests) it leaves the JVM's logging as it is.
     */
    public static Running start(int port, String url, boolean inProcess) {
        RSAKey key = newKey();
        SpringApplication application = new SpringApplication(LocalIssuer.class);
        if (inProcess) {
            application.setListeners(application.getListeners().stream()
                    .filter(listener -> !(listener instanceof LoggingApplicationListener)).toList());
            application.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
            application.setLogStartupInfo(false);
        }
        application.addInitializers(context -> context.getBeanFactory().registerSingleton("issuerKey", key));
        ConfigurableApplicationContext context = application.run(
                "--spring.config.name=local-issuer", "--server.port=" + port, "--digiads.local-issuer.url=" + url);
        return new Running(url, key, context);
    }

    /** The one issuer the tests of a JVM share, on a free port; stopped when the JVM exits. */
    public static synchronized Running shared() {
        if (shared == null) {
            int port = MotoServer.freePort();
            shared = start(port, "http://127.0.0.1:" + port, true);
            Runtime.getRuntime().addShutdownHook(new Thread(shared.context()::close, "issuer-stop"));
        }
        return shared;
    }

    /** Standalone (compose): port from SERVER_PORT, issuer URL from LOCAL_ISSUER_URL. */
    public static void main(String[] args) {
        int port = Integer.parseInt(System.getenv().getOrDefault("SERVER_PORT", Integer.toString(DEFAULT_PORT)));
        String url = System.getenv().getOrDefault("LOCAL_ISSUER_URL", "http://localhost:" + port);
        start(port, url, false);
    }

    @Bean
    JWKSource<SecurityContext> jwkSource(RSAKey issuerKey) {
        return new ImmutableJWKSet<>(new JWKSet(issuerKey));
    }

    /**
     * As Cognito does: a client_credentials request that names no scope gets every scope the client
     * is allowed (Spring Authorization Server would grant none).
     */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> allowedScopesByDefault() {
        return context -> {
            if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())
                    && AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())
                    && context.getAuthorizedScopes().isEmpty()) {
                context.getClaims().claim("scope", List.copyOf(context.getRegisteredClient().getScopes()));
            }
        };
    }

    public static RSAKey newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
                    .keyID(UUID.randomUUID().toString()).build();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs claims with a key (RS256, with the key's id), as an issuer would. */
    public static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
