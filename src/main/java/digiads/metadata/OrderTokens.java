package digiads.metadata;

import java.time.Instant;
import java.util.Locale;

/**
 * Ordering tokens for the S3 events of one object, comparable as plain strings (and so in a
 * DynamoDB condition): a later event has a greater token.
 *
 * <p>With S3's {@code sequencer} (real S3 always sends it) the token is the sequencer compared the
 * way AWS documents: hexadecimal, the shorter right-padded with zeros, then lexicographically;
 * padding every sequencer to one width does exactly that. Without one (emulators) it falls back to
 * the event time in milliseconds: right for events at least a millisecond apart. A removal also
 * checks that the object is really gone before it writes its tombstone, so even events of one
 * millisecond cannot leave metadata for an object that exists, or none for one that does.
 */
public final class OrderTokens {

    /** Sorts before every real token: for states written without one. */
    public static final String OLDEST = "0";

    private static final int SEQUENCER_WIDTH = 32;

    private OrderTokens() {
    }

    public static String of(String sequencer, Instant eventTime) {
        if (sequencer != null && !sequencer.isBlank()) {
            String hex = sequencer.trim().toUpperCase(Locale.ROOT);
            if (!hex.matches("[0-9A-F]+")) {
                throw new IllegalArgumentException("sequencer is not hexadecimal: " + sequencer);
            }
            return "S" + (hex.length() >= SEQUENCER_WIDTH ? hex : hex + "0".repeat(SEQUENCER_WIDTH - hex.length()));
        }
        if (eventTime != null) {
            return "T" + String.format(Locale.ROOT, "%019d", eventTime.toEpochMilli());
        }
        return OLDEST;
    }
}
