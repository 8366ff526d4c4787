package digiads.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The header rule answers as StrictHttpFirewall's own patterns (Spring Security 6.5) for any input. */
class HeaderCharactersTest {

    private static final Pattern FIREWALL_NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern FIREWALL_VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

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
        for (String s : new String[] {"", "\uD800", "\uDC00", "x\uD800y", "\uDE00\uD83D", "\uD83D\uDE00", "a\tb", "\t",
                "\r\n", "\u0085", "\u2028", "\u007F", "\u00A0", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"}) {
            compare(s, differ);
        }
        assertThat(differ).isEmpty();
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
