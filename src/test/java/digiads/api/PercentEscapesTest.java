package digiads.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Escapes are two ASCII hex digits, and what they stand for is UTF-8; anything else is malformed. */
class PercentEscapesTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "label=dog", "/api/images/a.jpg", "label=dog&cursor=abc", "name=a%20b.jpg",
            "name=%C3%A9t%C3%A9.jpg", "name=%c3%a9", "/api/images/a%2Fb.jpg", "%25", "q=100%25", "label=%F0%9F%90%B6",
            "%00", "%7F", "%41%42", "name=é", "name=\u0663", "a+b=c&d", "%E2%82%AC"})
    void wellFormedEscapesAndTextWithoutEscapesPass(String raw) {
        assertThat(PercentEscapes.wellFormed(raw)).as(raw).isTrue();
    }

    @Test
    void nothingAtAllIsWellFormed() {
        assertThat(PercentEscapes.wellFormed(null)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "%%", "%%%not-a-cursor", "label=dog&cursor=%%%not-a-cursor", "a%", "a%4", "%4",
            "%G0", "%0G", "%zz", "%-1", "% 1", "%+1", "%:0", "%/0", "%@0", "%`0", "%g0", "%0g", "label=%2", "%2%41",
            "name=a%2", "/api/images/%zz/metadata"})
    void aPercentSignNotFollowedByTwoHexDigitsIsMalformed(String raw) {
        assertThat(PercentEscapes.wellFormed(raw)).as(raw).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"%\u0663\u0663", "%\u0661\u0662", "%4\u0663", "%\u06634", "%\uFF21\uFF21", "%A\uFF21",
            "%\uFF210", "%\uFF41\uFF41", "%\u0967\u0967", "%\uFF10\uFF10", "%\uFF14\uFF11", "%\uFF16\uFF21"})
    void otherScriptsDigitsAndFullWidthLettersAreNotHexDigits(String raw) {
        assertThat(PercentEscapes.wellFormed(raw)).as(raw).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"%FF", "%C3", "%C3%28", "name=%C3", "name=%C3x", "%E2%82", "%80", "%C0%AF", "%ED%A0%80",
            "%F4%90%80%80", "%F0%9F%90", "a%E9b", "%C3é", "%C3x%A9", "%C3%A9%C3x"})
    void escapedBytesThatAreNotUtf8AreMalformed(String raw) {
        assertThat(PercentEscapes.wellFormed(raw)).as(raw).isFalse();
    }

    @Test
    void hexDigitsAreTheAsciiOnes() {
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            int expected = c >= '0' && c <= '9' ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            assertThat(PercentEscapes.hexDigit(c)).as("U+%04X", (int) c).isEqualTo(expected);
        }
    }
}
