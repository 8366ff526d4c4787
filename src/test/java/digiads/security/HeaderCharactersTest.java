package digiads.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/** The header rule answers as StrictHttpFirewall's own patterns (Spring Security 6.5) for any input, and as the firewall. */
class HeaderCharactersTest {

    private static final Pattern FIREWALL_NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern FIREWALL_VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");
    private static final String[] SAMPLES = {"", "\uD800", "\uDC00", "x\uD800y", "\uDE00\uD83D", "\uD83D\uDE00", "a\tb",
        "\t", "\r\n", "\u0000", "\u0085", "\u009F", "\u2028", "\u007F", "\u00A0", "\uFFFF", "caf\u00e9",
        "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"};

    @Test
    void everyCodePointIsJudgedAsTheFirewallsPatternsJudgeIt() {
        List<String> differ = new ArrayList<>();
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String s = "a" + new String(Character.toChars(codePoint)) + "b";
            compare(s, differ);
        }
        assertThat(differ).isEmpty();
    }

    @Test
    void surrogatesTabsAndSeparatorsAreJudgedAsTheFirewallJudgesThem() {
        List<String> differ = new ArrayList<>();
        for (String s : SAMPLES) {
            compare(s, differ);
        }
        assertThat(differ).isEmpty();
    }

    @Test
    void theFirewallItselfJudgesTheSamplesAsTheRuleDoes() {
        // the patterns above are copied from the library: the samples hold them to the firewall of the version in use
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        for (String s : SAMPLES) {
            MockHttpServletRequest value = new MockHttpServletRequest("GET", "/api/images");
            value.addHeader("X-Sample", s);
            assertThat(accepted(() -> firewall.getFirewalledRequest(value).getHeader("X-Sample")))
                    .as("value %s", s.codePoints().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(HeaderCharacters.VALUE.test(s));
            MockHttpServletRequest name = new MockHttpServletRequest("GET", "/api/images");
            name.addHeader("X" + s, "v");
            assertThat(accepted(() -> Collections.list(firewall.getFirewalledRequest(name).getHeaderNames())))
                    .as("name X%s", s.codePoints().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(HeaderCharacters.NAME.test("X" + s));
        }
    }

    private static boolean accepted(Runnable read) {
        try {
            read.run();
            return true;
        } catch (RequestRejectedException e) {
            return false;
        }
    }

    @Test
    void controlCharactersAreRefusedAndTabsOnlyInValues() {
        assertThat(HeaderCharacters.VALUE.test("text/plain\tq=1")).isTrue();
        assertThat(HeaderCharacters.NAME.test("X\tName")).isFalse();
        assertThat(HeaderCharacters.VALUE.test("a\nb")).isFalse();
        assertThat(HeaderCharacters.VALUE.test("a\u0000b")).isFalse();
        assertThat(HeaderCharacters.VALUE.test("unassigned \uFFFF")).isFalse();
    }

    private static void compare(String s, List<String> differ) {
        check("name", HeaderCharacters.NAME, FIREWALL_NAMES, s, differ);
        check("value", HeaderCharacters.VALUE, FIREWALL_VALUES, s, differ);
    }

    private static void check(String what, Predicate<String> rule, Pattern firewall, String s, List<String> differ) {
        if (rule.test(s) != firewall.matcher(s).matches()) {
            differ.add(what + " " + s.codePoints().mapToObj(Integer::toHexString).toList());
        }
    }
}
