package digiads.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Whether a raw (still percent-encoded) request path or query string is well formed: every
 * {@code %} begins an escape of two ASCII hex digits, and what the escapes stand for is UTF-8. Tomcat
 * drops a query parameter it cannot decode, as if it had not been sent: a request with a malformed
 * escape is refused instead ({@link MalformedEscapesFilter}), so that no such parameter is ever
 * silently ignored. Neither {@code java.net.URLDecoder} nor Spring's {@code UriUtils} will do: both
 * take any Unicode digit for a hex digit ({@link Character#digit}) and replace malformed UTF-8.
 */
public final class PercentEscapes {

    private PercentEscapes() {
    }

    /** Whether every escape in {@code raw} (null: none) is well formed and the escaped bytes are UTF-8. */
    public static boolean wellFormed(String raw) {
        if (raw == null) {
            return true;
        }
        // the escaped bytes with the text between them (whole UTF-8 characters: an escaped sequence cannot go on
        // across text); the text after the last escape cannot change the verdict
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int i = 0;
        for (int escape = raw.indexOf('%'); escape >= 0; escape = raw.indexOf('%', i)) {
            bytes.writeBytes(raw.substring(i, escape).getBytes(StandardCharsets.UTF_8));
            if (escape + 2 >= raw.length()) {
                return false;
            }
            int high = hexDigit(raw.charAt(escape + 1));
            int low = hexDigit(raw.charAt(escape + 2));
            if (high < 0 || low < 0) {
                return false;
            }
            bytes.write(high << 4 | low);
            i = escape + 3;
        }
        return utf8(bytes.toByteArray());
    }

    /**
     * The value of an ASCII hex digit, or -1: not {@link Character#digit}, which also takes other
     * scripts' digits and the full-width letters, none of which a decoder takes in an escape.
     */
    static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean utf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
