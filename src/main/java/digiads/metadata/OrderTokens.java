package digiads.metadata;

import java.time.Instant;
import java.util.Locale;

/**
 * Ordering tokens for the S3 events of one object, comparable as plain strings (and so in a
 * DynamoDB condition): a later event has a greater token.
 *
 * <p>With S3's {@code sequencer} (real S3 always sends it) the token is the sequencer compared the
 * way AWS documents: hexadecimal, the shorter right-padded with zeros, then lexicographically. The
 * token is the sequencer without its trailing zeros, right-padded with zeros to 32 digits: two
 * sequencers AWS calls equal get the same token, and plain string comparison (DynamoDB compares
 * strings by their UTF-8 bytes; tokens are ASCII) orders tokens as AWS orders sequencers, whatever
 * their lengths, also beyond 32 digits. Without one (emulators) it falls back to
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
            String significant = hex.replaceFirst("0+$", "");
            return "S" + significant + "0".repeat(Math.max(0, SEQUENCER_WIDTH - significant.length()));
        }
        if (eventTime != null) {
            return "T" + String.format(Locale.ROOT, "%019d", eventTime.toEpochMilli());
        }
        return OLDEST;
    }
}
