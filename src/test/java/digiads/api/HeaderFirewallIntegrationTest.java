package digiads.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.MotoTestSupport;
import digiads.local.LocalIssuer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request header with a control character in it is the API's 400 JSON error before any route runs
 * (C0 controls refused by Tomcat itself, C1 controls such as U+0085 by the firewall, which judges every
 * header first: digiads.security.HeaderCharacters); a tab in a header value is allowed, as in Spring
 * Security's own rule. Over a plain socket ({@link RawHttp}): an HTTP client refuses to
 * send such a header at all.
 */
class HeaderFirewallIntegrationTest extends MotoTestSupport {

    private RawHttp.Answer get(String target, String headerValue) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token(LocalIssuer.Client.DEV));
        headers.put("X-Note", headerValue);
        return RawHttp.send(port, "GET", target, headers, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"next\u0085line", "end\u009F", "bell\u0007"})
    void aControlCharacterInAHeaderIsTheApis400(String value) throws IOException {
        for (String target : new String[] {"/api/images?label=firewall", "/api/images/firewall.jpg/metadata",
                "/app/api/me"}) {
            RawHttp.Answer answer = get(target, value);

            assertThat(answer.status()).as(target + ": " + answer.body()).isEqualTo(400);
            assertThat(answer.headers().get("content-type")).startsWith("application/json");
            JsonNode error = json.readTree(answer.body());
            assertThat(error.path("error").asText()).isEqualTo("bad_request");
            assertThat(error.path("message").asText()).isNotBlank();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\ttab", "caf\u00e9", "plain"})
    void tabsAndLatinLettersInAHeaderPass(String value) {
        RawHttp.Answer answer = get("/api/images?label=firewall", value);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }
}
