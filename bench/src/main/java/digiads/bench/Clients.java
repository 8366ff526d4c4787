package digiads.bench;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.function.*;

import com.fasterxml.jackson.databind.*;

/** The clients the suite measures: ours (getDigiAds), getMetadata alone, the seed's sequential design. */
final class Clients {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String API_KEY = "bench-key";

    private final String app;
    private final Supplier<String> token;
    private final String deals;
    private final int dealsReadTimeoutMillis;

    Clients(String appUrl, Supplier<String> accessToken, String dealsUrl, int baselineDealsTimeoutMillis) {
        this.app = appUrl;
        this.token = accessToken;
        this.deals = dealsUrl;
        this.dealsReadTimeoutMillis = baselineDealsTimeoutMillis;
    }

    /** The headers of an API call: the bearer token. */
    Map<String, String> auth() {
        return Map.of("Authorization", "Bearer " + token.get());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Ours: GET /api/images/{id}/digiads; 200 is a success, tagged with its dealsStatus. */
    Load.Task digiAds(IntFunction<String> imageIds) {
        return client -> {
            Http.Response r = Http.get(app + "/api/images/" + enc(imageIds.apply(client)) + "/digiads", auth(),
                    2000, 30000);
            if (r.status() != 200) {
                return Load.Outcome.error("http-" + r.status());
            }
            return Load.Outcome.ok(dealsStatus(r.text()));
        };
    }

    static String dealsStatus(String body) {
        int i = body.indexOf("\"dealsStatus\":\"");
        if (i < 0) {
            return "no-status";
        }
        int from = i + 15;
        return body.substring(from, body.indexOf('"', from));
    }

    /** getMetadata alone: the read both designs start with. */
    Load.Task metadata(IntFunction<String> imageIds) {
        return client -> {
            Http.Response r = Http.get(app + "/api/images/" + enc(imageIds.apply(client)) + "/metadata", auth(),
                    2000, 30000);
            return r.status() == 200 ? Load.Outcome.ok(null) : Load.Outcome.error("http-" + r.status());
        };
    }

    /** One Deals API call, directly: its round trip with the configured delay. */
    Load.Task dealsDirect() {
        return client -> {
            Http.Response r = dealsCall("Label-direct-" + client);
            return r.status() == 200 ? Load.Outcome.ok(null) : Load.Outcome.error("http-" + r.status());
        };
    }

    private Http.Response dealsCall(String label) throws IOException {
        return Http.get(deals + "/deals?q=" + enc(label) + "&limit=5",
                Map.of("X-Api-Key", API_KEY, "Accept", "application/json"), 2000, dealsReadTimeoutMillis);
    }

    /**
     * The seed's design, as a client would run it: getMetadata on our app, then the Deals API once per
     * label of the top 3, one call after the other, directly; any failed call fails the request (as in
     * the seed, where a Deals failure became the client's error). Records the time spent in Deals calls.
     */
    Load.Task baseline(IntFunction<String> imageIds) {
        return client -> {
            Http.Response meta = Http.get(app + "/api/images/" + enc(imageIds.apply(client)) + "/metadata", auth(),
                    2000, 30000);
            if (meta.status() != 200) {
                return Load.Outcome.error("metadata-" + meta.status());
            }
            JsonNode labels = JSON.readTree(meta.body()).path("labels");
            List<JsonNode> found = new ArrayList<>();
            long wait = 0;
            for (int i = 0; i < Math.min(3, labels.size()); i++) {
                String label = labels.get(i).path("name").asText();
                long t0 = System.nanoTime();
                try {
                    Http.Response r = dealsCall(label);
                    if (r.status() != 200) {
                        return new Load.Outcome(false, wait + System.nanoTime() - t0, "deals-" + r.status());
                    }
                    JsonNode body;
                    try {
                        body = JSON.readTree(r.body());
                    } catch (IOException e) {
                        return new Load.Outcome(false, wait + System.nanoTime() - t0, "deals-malformed");
                    }
                    if (body == null || !body.path("deals").isArray()) {
                        return new Load.Outcome(false, wait + System.nanoTime() - t0, "deals-no-array");
                    }
                    body.path("deals").forEach(found::add);
                } catch (IOException e) {
                    return new Load.Outcome(false, wait + System.nanoTime() - t0, "deals-" + e.getClass().getSimpleName());
                }
                wait += System.nanoTime() - t0;
            }
            return new Load.Outcome(true, wait, found.isEmpty() ? "no-deals" : "LIVE");
        };
    }
}
