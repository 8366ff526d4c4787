package digiads.security;

import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Verifies a token's signature once, not on every request: a client sends the same access token
 * until it expires. The first time a token is seen, the decoder checks it in full (signature against
 * the issuer's keys, then the validators); the {@link Jwt} it returns is kept, by the token's exact
 * text, until the token expires. Every later request with that text runs the validators again on the
 * kept {@code Jwt} (lifetime, issuer, {@code token_use}), so a token is refused the moment it expires,
 * as without the cache. Only tokens that passed are kept; any change to a token's text is another
 * token, checked in full. At most {@code maxTokens} are kept (least recently used go first), so a
 * flood of valid tokens costs bounded memory.
 */
public final class VerifiedTokens implements JwtDecoder {

    private final JwtDecoder decoder;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Cache<String, Jwt> verified;

    /**
     * @param decoder   checks a token in full: signature, then {@code validator}
     * @param validator the decoder's validators, run again on each later use of a kept token
     * @param maxTokens how many verified tokens are kept at most
     */
    public VerifiedTokens(JwtDecoder decoder, OAuth2TokenValidator<Jwt> validator, int maxTokens) {
        this.decoder = decoder;
        this.validator = validator;
        this.verified = Caffeine.newBuilder().maximumSize(maxTokens).expireAfter(new UntilExpiry()).build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt kept = verified.getIfPresent(token);
        if (kept == null) {
            Jwt jwt = decoder.decode(token);
            verified.put(token, jwt);
            return jwt;
        }
        OAuth2TokenValidatorResult result = validator.validate(kept);
        if (result.hasErrors()) {
            verified.invalidate(token);
            throw new JwtValidationException(result.getErrors().iterator().next().getDescription(), result.getErrors());
        }
        return kept;
    }

    /** Keeps a token until its {@code exp} (a token without one: not kept past a minute). */
    private static final class UntilExpiry implements Expiry<String, Jwt> {

        private static final Duration WITHOUT_EXPIRY = Duration.ofMinutes(1);

        @Override
        public long expireAfterCreate(String token, Jwt jwt, long currentTime) {
            Instant expiresAt = jwt.getExpiresAt();
            Duration left = expiresAt == null ? WITHOUT_EXPIRY : Duration.between(Instant.now(), expiresAt);
            return Math.max(0, left.toNanos());
        }

        @Override
        public long expireAfterUpdate(String token, Jwt jwt, long currentTime, long currentDuration) {
            return expireAfterCreate(token, jwt, currentTime);
        }

        @Override
        public long expireAfterRead(String token, Jwt jwt, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
