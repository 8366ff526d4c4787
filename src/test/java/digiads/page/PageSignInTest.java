package digiads.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

/** The page's OAuth2 client: public or confidential, every sign-in goes with PKCE (S256). */
class PageSignInTest {

    private static PageProperties page(String secret) {
        return new PageProperties("digiads-page", secret, "https://issuer.example", "https://issuer.example/authorize",
                "https://issuer.example/token", "https://issuer.example/jwks", "", "{baseUrl}/login/oauth2/code/{registrationId}",
                List.of("openid", "digiads/images.read"), true);
    }

    private static OAuth2AuthorizationRequest signIn(ClientRegistration registration) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/oauth2/authorization/digiads");
        request.setServletPath("/oauth2/authorization/digiads");
        return PageSecurityConfig.pkce(new InMemoryClientRegistrationRepository(registration)).resolve(request);
    }

    @Test
    void aPublicAndAConfidentialClientBothSignInWithPkce() {
        for (String secret : new String[] {"", "s3cret"}) {
            ClientRegistration registration = PageSecurityConfig.registration(page(secret));
            assertThat(registration.getClientAuthenticationMethod()).isEqualTo(secret.isEmpty()
                    ? ClientAuthenticationMethod.NONE : ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
            OAuth2AuthorizationRequest request = signIn(registration);
            assertThat(request.getAdditionalParameters()).as(secret)
                    .containsEntry("code_challenge_method", "S256").containsKey("code_challenge");
            assertThat(request.getScopes()).contains("openid", "digiads/images.read");
            assertThat(request.getAuthorizationUri()).isEqualTo("https://issuer.example/authorize");
        }
    }
}
