package digiads.page;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * The page's sign-in: an OAuth2 client of the issuer (authorization code with PKCE). Its endpoints
 * come from the issuer's discovery document, fetched on the first sign-in, unless all are given
 * ({@code authorizationUri} as browsers reach it, the others as the app does: compose).
 *
 * @param clientId         the page's OAuth2 client
 * @param issuerUri        where the page's users sign in; endpoints discovered on the first sign-in
 * @param authorizationUri the issuer's authorization endpoint as browsers reach it; empty: discovered (give all four
 *                         endpoints when the browser and the app reach the issuer at different addresses, as in compose)
 * @param tokenUri         the issuer's token endpoint as the app reaches it; empty: discovered
 * @param jwkSetUri        the issuer's keys as the app reaches them; empty: discovered
 * @param userInfoUri      the issuer's user-info endpoint as the app reaches it; empty: discovered
 * @param scopes           what a sign-in asks for
 * @param clientSecret empty for a public client (PKCE alone binds the code to the sign-in that asked for it)
 * @param redirectUri  where the issuer sends the browser back; {@code {baseUrl}} is the address the page was asked
 *                     at; give it in full behind TLS termination
 * @param secureCookie the session cookie only over HTTPS ({@code true} behind a TLS load balancer, as on AWS)
 */
@ConfigurationProperties("digiads.page")
@Validated
public record PageProperties(@NotBlank String clientId, String clientSecret, @NotBlank String issuerUri,
                             String authorizationUri, String tokenUri, String jwkSetUri, String userInfoUri,
                             @NotBlank String redirectUri, @NotEmpty List<String> scopes, boolean secureCookie) {

    /** Whether the issuer's endpoints are given rather than discovered. */
    public boolean endpointsGiven() {
        return StringUtils.hasText(authorizationUri) && StringUtils.hasText(tokenUri) && StringUtils.hasText(jwkSetUri);
    }
}
