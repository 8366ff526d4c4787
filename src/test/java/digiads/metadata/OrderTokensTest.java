package digiads.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Order tokens are compared by DynamoDB as strings (by their UTF-8 bytes) in the write condition
 * {@code orderToken <= :token}: that comparison must order them exactly as AWS orders S3 sequencers
 * (the shorter right-padded with zeros, then compared as strings), or by event time.
 */
class OrderTokensTest {

    @Test
    void sequencersCompareAsAwsDocumentsInDynamoDbsStringComparison() {
        Random random = new Random(20261126);
        String[] prefixes = {"", "0", "00", "1", "00F1", "ABCDEF0123456789ABCDEF0123456789"};
        for (int i = 0; i < 20_000; i++) {
            String a = sequencer(random, prefixes);
            String b = sequencer(random, prefixes);

            int aws = Integer.signum(awsOrder(a, b));
            int dynamo = Integer.signum(dynamoDbOrder(OrderTokens.of(a, null), OrderTokens.of(b, null)));

            assertThat(dynamo).as("%s vs %s", a, b).isEqualTo(aws);
        }
    }

    @Test
    void sequencersAwsCallsEqualGetTheSameToken() {
        assertThat(OrderTokens.of("0055AED6DCD90281E5", null)).isEqualTo(OrderTokens.of("0055AED6DCD90281E500", null));
        String long33 = "1" + "0".repeat(31) + "1";
        assertThat(OrderTokens.of(long33 + "000", null)).isEqualTo(OrderTokens.of(long33, null));
        assertThat(OrderTokens.of(long33, null)).isGreaterThan(OrderTokens.of(long33.substring(0, 32), null));
        assertThat(OrderTokens.of("0055aed6dcd90281e5", null)).isEqualTo(OrderTokens.of("0055AED6DCD90281E5", null));
    }

    @Test
    void withoutASequencerLaterEventTimesAreGreaterAndNothingIsOlderThanOldest() {
        Instant t = Instant.parse("2026-11-26T12:00:00Z");
        assertThat(OrderTokens.of(null, t.plusMillis(1))).isGreaterThan(OrderTokens.of(null, t));
        assertThat(OrderTokens.of(null, Instant.EPOCH)).isGreaterThan(OrderTokens.OLDEST);
        assertThat(OrderTokens.of("0", null)).isGreaterThan(OrderTokens.OLDEST);
        assertThatThrownBy(() -> OrderTokens.of("not hex", null)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A hexadecimal sequencer of 1 to 40 digits, often sharing a prefix and ending in zeros. */
    private static String sequencer(Random random, String[] prefixes) {
        StringBuilder s = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
        int more = random.nextInt(41 - s.length());
        for (int i = 0; i < more; i++) {
            s.append(random.nextInt(4) == 0 ? '0' : "0123456789ABCDEF".charAt(random.nextInt(16)));
        }
        if (random.nextBoolean()) {
            s.append("0".repeat(random.nextInt(4)));
        }
        return s.isEmpty() ? "0" : s.toString();
    }

    /** AWS: "right-pad the shorter value with zeros, then do a lexicographical comparison". */
    private static int awsOrder(String a, String b) {
        int width = Math.max(a.length(), b.length());
        return (a + "0".repeat(width - a.length())).compareTo(b + "0".repeat(width - b.length()));
    }

    /** DynamoDB compares strings by their UTF-8 bytes, unsigned. */
    private static int dynamoDbOrder(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void tokensHaveTheirDocumentedShape() {
        // a sequencer's significant digits, right-padded to 32; an event time in 19 digits of milliseconds
        assertThat(OrderTokens.of(" 0a0 ", null)).isEqualTo("S0A" + "0".repeat(30));
        assertThat(OrderTokens.of(null, Instant.ofEpochMilli(42))).isEqualTo("T" + "0".repeat(17) + "42");
        assertThat(OrderTokens.of(" ", null)).isEqualTo(OrderTokens.OLDEST);
        assertThat(OrderTokens.of(null, null)).isEqualTo(OrderTokens.OLDEST);
    }
}
