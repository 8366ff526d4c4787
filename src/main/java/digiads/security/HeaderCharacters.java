package digiads.security;

import java.util.Enumeration;
import java.util.function.Predicate;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.firewall.RequestRejectedException;

/**
 * The header rule of Spring Security's {@code StrictHttpFirewall}, without its regular expressions:
 * every character of a header's name and value is assigned in Unicode and none is a control
 * character, but for tabs in values. The firewall tests its rule on every read of a header, and every
 * API call's token (a JWT of about a kilobyte) is read three times a request (the bearer token
 * resolver, the DPoP matcher, Camel's copy of the headers): the patterns took about a twentieth of the
 * API's CPU. {@link HeaderCharactersTest} holds this rule to the firewall's patterns for every code point.
 *
 * <p>The firewall judges a header only when something reads it, and a header only Camel reads would be
 * refused inside the route, as an error page. {@link #requireAllowed} judges every header before the
 * security filters run, so such a request gets the API's 400.
 */
final class HeaderCharacters {

    /** The firewall's rule for header names. */
    static final Predicate<String> NAME = name -> allowed(name, false);
    /** The firewall's rule for header values: tabs allowed too. */
    static final Predicate<String> VALUE = value -> allowed(value, true);

    /** A request refused for a header's characters. */
    static final class RejectedHeaderException extends RequestRejectedException {
        RejectedHeaderException(String message) {
            super(message);
        }
    }

    private HeaderCharacters() {
    }

    /** Throws {@link RejectedHeaderException} unless every header's name and values keep the rule. */
    static void requireAllowed(HttpServletRequest request) {
        for (Enumeration<String> names = request.getHeaderNames(); names != null && names.hasMoreElements(); ) {
            String name = names.nextElement();
            if (!NAME.test(name)) {
                throw new RejectedHeaderException("a header name holds characters that are not accepted");
            }
            for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
                if (!VALUE.test(values.nextElement())) {
                    throw new RejectedHeaderException("the header " + name + " holds characters that are not accepted");
                }
            }
        }
    }

    private static boolean allowed(String s, boolean tab) {
        for (int i = 0; i < s.length(); ) {
            int codePoint = s.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.UNASSIGNED || type == Character.CONTROL && !(tab && codePoint == '\t')) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
