package digiads.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import digiads.api.ApiErrorWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

/** The page's streams open only while the user's access token is valid (or was refreshed). */
class StreamsNeedALiveSignInTest {

    private final OAuth2AuthorizedClientManager tokens = mock(OAuth2AuthorizedClientManager.class);
    private final PageSecurityConfig.StreamsNeedALiveSignIn filter = new PageSecurityConfig.StreamsNeedALiveSignIn(
            request -> request.getRequestURI().endsWith("/events"), tokens, new ApiErrorWriter(new ObjectMapper()));

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    private static OAuth2AuthorizedClient client(Instant expiresAt) {
        ClientRegistration registration = ClientRegistration.withRegistrationId("digiads").clientId("digiads-page")
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE).redirectUri("http://x/cb")
                .authorizationUri("http://issuer/authorize").tokenUri("http://issuer/token").build();
        return new OAuth2AuthorizedClient(registration, "user", new OAuth2AccessToken(
                OAuth2AccessToken.TokenType.BEARER, "t", expiresAt.minusSeconds(3600), expiresAt));
    }

    private MockHttpServletResponse stream(OAuth2AuthorizedClient client, AtomicBoolean passed) throws Exception {
        SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("user", null));
        when(tokens.authorize(any())).thenReturn(client);
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/app/api/events");
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, (req, res) -> passed.set(true));
        return response;
    }

    @Test
    void aValidTokenOpensTheStream() throws Exception {
        AtomicBoolean passed = new AtomicBoolean();
        stream(client(Instant.now().plusSeconds(60)), passed);
        assertThat(passed).isTrue();
    }

    @Test
    void anExpiredTokenThatCannotBeRefreshedOrNoneIs401() throws Exception {
        for (OAuth2AuthorizedClient client : new OAuth2AuthorizedClient[] {client(Instant.now().minusSeconds(1)), null}) {
            AtomicBoolean passed = new AtomicBoolean();
            MockHttpServletResponse response = stream(client, passed);
            assertThat(passed).isFalse();
            assertThat(response.getStatus()).isEqualTo(401);
            assertThat(response.getContentAsString()).contains("\"unauthorized\"");
        }
    }
}
