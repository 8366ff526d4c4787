package digiads.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import digiads.MotoTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The page's session cookie survives the way back from the issuer. The issuer is another site on AWS
 * (Cognito's domain) and locally (localhost:9000 for a page at 127.0.0.1:8080), and the browser comes
 * back by a top-level GET with the authorization code: a SameSite=Strict cookie would not go with it,
 * the saved authorization request would be lost and every sign-in would fail.
 */
class PageSessionCookieIntegrationTest extends MotoTestSupport {

    @Test
    void theSessionCookieOfASignInGoesWithTheIssuersRedirectBack() {
        HttpResponse<String> signIn = sendAsIs(java.net.http.HttpRequest.newBuilder(
                uri("/oauth2/authorization/" + PageSecurityConfig.REGISTRATION)).GET().build());

        assertThat(signIn.statusCode()).isEqualTo(302);
        assertThat(signIn.headers().allValues("Set-Cookie"))
                .filteredOn(c -> c.startsWith(PageSecurityConfig.SESSION_COOKIE + "="))
                .singleElement().satisfies(cookie -> assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax"));
    }
}
