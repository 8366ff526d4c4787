package digiads.bench;

import java.io.*;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.*;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The project's local OAuth2 issuer (digiads.local.LocalIssuer) as its own JVM, run from the app's test classes; the
 * clients share one {@code digiads-dev} token (client_credentials), fetched again shortly before it expires.
 */
final class Issuer {

    static final String CLIENT_ID = "digiads-dev";
    static final String CLIENT_SECRET = "digiads-dev-secret";
    /** A token is replaced this long before it expires (the issuer's live an hour). */
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

    final Proc proc;
    final int port;
    private volatile String token;
    private volatile long renewAtNanos;
    private int tokensFetched;

    private Issuer(Proc proc, int port) {
        this.proc = proc;
        this.port = port;
    }

    static Issuer start(Config config, List<Proc> registry) {
        int port = Proc.freePort();
        String url = "http://127.0.0.1:" + port;
        List<String> cmd = List.of(Proc.java(),
                "-Xmx256m", "-cp", config.issuerClasspath(), "digiads.local.LocalIssuer");
        Proc proc = Proc.start("issuer", cmd, config.work, config.work.resolve("logs/issuer.log"),
                Map.of("SERVER_PORT", Integer.toString(port), "LOCAL_ISSUER_URL", url));
        registry.add(proc);
        Issuer issuer = new Issuer(proc, port);
        proc.await(Duration.ofSeconds(90), () -> Http.answers(url + "/.well-known/openid-configuration"));
        return issuer;
    }

    /** The tokens' iss, and what the app is given as its issuer URI. */
    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The current access token; a new one when it is about to expire. */
    String token() {
        String t = token;
        if (t != null && System.nanoTime() - renewAtNanos < 0) {
            return t;
        }
        return renew();
    }

    synchronized int tokensFetched() {
        return tokensFetched;
    }

    private synchronized String renew() {
        if (token != null && System.nanoTime() - renewAtNanos < 0) {
            return token;
        }
        String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(CLIENT_ID, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(CLIENT_SECRET, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        try {
            long asked = System.nanoTime();
            Http.Response r = Http.call("POST", url() + "/oauth2/token",
                    Map.of("Authorization", "Basic " + basic, "Content-Type", "application/x-www-form-urlencoded",
                            "Accept", "application/json"),
                    "grant_type=client_credentials", 2000, 10000);
            if (r.status() != 200) {
                throw new IllegalStateException("the issuer gave no token (HTTP " + r.status() + "): " + r.text());
            }
            JsonNode body = Clients.JSON.readTree(r.body());
            String accessToken = body.path("access_token").asText("");
            if (accessToken.isEmpty()) {
                throw new IllegalStateException("the issuer's answer holds no access_token: " + r.text());
            }
            long lifetime = body.path("expires_in").asLong(3600);
            long renewIn = Math.max(lifetime / 2, lifetime - RENEW_BEFORE.toSeconds());
            renewAtNanos = asked + Duration.ofSeconds(renewIn).toNanos();
            token = accessToken;
            tokensFetched++;
            return accessToken;
        } catch (IOException e) {
            throw new UncheckedIOException("could not get a token from the issuer", e);
        }
    }

    void stop() {
        proc.stop(Duration.ofSeconds(10));
    }
}
