package digiads.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * A token is checked in full (signature and claims) the first time its text is seen; later uses of
 * exactly that text skip the signature but not the claims, so an expired token is refused as before;
 * a refused token is never kept.
 */
class VerifiedTokensTest {

    private static final Instant NOW = Instant.now();
    private final List<String> fullChecks = new ArrayList<>();
    private final MutableClock clock = new MutableClock(NOW);
    private final JwtTimestampValidator lifetime = new JwtTimestampValidator(Duration.ZERO);

    {
        lifetime.setClock(clock);
    }

    /** Stands for the Nimbus decoder: "bad…" fails its signature; anything else is a token expiring in 5 minutes. */
    private final JwtDecoder signatures = token -> {
        fullChecks.add(token);
        if (token.startsWith("bad")) {
            throw new BadJwtException("Signed JWT rejected: Invalid signature");
        }
        return Jwt.withTokenValue(token).header("alg", "RS256").subject("client-" + token)
                .issuedAt(NOW).expiresAt(NOW.plus(Duration.ofMinutes(5))).build();
    };
    private final VerifiedTokens tokens = new VerifiedTokens(signatures, lifetime, 100);

    @Test
    void theSameTokenIsCheckedInFullOnce() {
        Jwt first = tokens.decode("a");
        Jwt again = tokens.decode("a");

        assertThat(again).isSameAs(first);
        assertThat(fullChecks).containsExactly("a");
    }

    @Test
    void anotherTextIsAnotherTokenCheckedInFull() {
        tokens.decode("a");
        tokens.decode("a2");
        tokens.decode("a");

        assertThat(fullChecks).containsExactly("a", "a2");
    }

    @Test
    void aKeptTokenIsRefusedOnceItExpiresAndThenForgotten() {
        tokens.decode("a");
        clock.now = NOW.plus(Duration.ofMinutes(6));

        assertThatThrownBy(() -> tokens.decode("a")).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("expired");
        assertThat(fullChecks).as("refused from what was kept, without checking the signature again").containsExactly("a");
        tokens.decode("a");
        assertThat(fullChecks).as("no longer kept: checked in full").containsExactly("a", "a");
    }

    @Test
    void aRefusedTokenIsNotKept() {
        assertThatThrownBy(() -> tokens.decode("bad-signature")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> tokens.decode("bad-signature")).isInstanceOf(BadJwtException.class);

        assertThat(fullChecks).containsExactly("bad-signature", "bad-signature");
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
