package digiads.deals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DealsResponseParserTest {

    private final DealsResponseParser parser = new DealsResponseParser(new ObjectMapper(), java.util.Set.of("https"));

    @Test
    void readsTheContractKeepingPricesExact() {
        var deals = parser.parse("""
                {"deals":[{"id":"d1","title":"Sunglasses","price":19.90,"currency":"EUR","merchant":"Optix","url":"https://x/d1"},
                          {"id":"d2","title":"Towel","price":5,"currency":"EUR","merchant":"Beachy","url":"https://x/d2","extra":true}]}
                """);

        assertThat(deals).containsExactly(
                new Deal("d1", "Sunglasses", new BigDecimal("19.90"), "EUR", "Optix", "https://x/d1"),
                new Deal("d2", "Towel", new BigDecimal("5"), "EUR", "Beachy", "https://x/d2"));
        assertThat(parser.parse("{\"deals\":[]}")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
            "{\"deals\":[{\"id\":\"d1\"",
            "",
            "null",
            "[]",
            "{\"offers\":[]}",
            "{\"deals\":{}}",
            "{\"deals\":[42]}",
            "{\"deals\":[{\"id\":7,\"title\":\"t\",\"price\":1,\"currency\":\"c\",\"merchant\":\"m\",\"url\":\"u\"}]}",
            "{\"deals\":[{\"id\":\"d\",\"title\":\"t\",\"price\":\"cheap\",\"currency\":\"c\",\"merchant\":\"m\",\"url\":\"u\"}]}",
            "{\"deals\":[{\"id\":\"d\",\"title\":\"t\",\"price\":1,\"currency\":\"c\",\"merchant\":\"m\"}]}",
    })
    void garbageIsAFailure(String body) {
        assertThatThrownBy(() -> parser.parse(body)).isInstanceOf(DealsApiException.class);
    }

    @Test
    void aMissingBodyIsAFailure() {
        assertThatThrownBy(() -> parser.parse(null)).isInstanceOf(DealsApiException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://shop.example/d", "javascript:alert(1)", "/relative/d", "https:///no-host",
            "ftp://shop.example/d", "not a url at all", "data:text/html,hi"})
    void dealsWhoseLinkIsNotHttpsAreLeftOut(String link) {
        var deals = parser.parse(twoDeals(link));

        assertThat(deals).extracting(Deal::id).containsExactly("good");
    }

    @Test
    void allowedSchemesComeFromTheSettingsWhateverTheirCase() {
        var local = new DealsResponseParser(new ObjectMapper(), java.util.Set.of("HTTPS", "http"));

        assertThat(local.parse(twoDeals("HTTP://shop.example/d"))).extracting(Deal::id).containsExactly("good", "other");
        assertThat(local.parse(twoDeals("javascript:alert(1)"))).extracting(Deal::id).containsExactly("good");
    }

    private static String twoDeals(String otherLink) {
        return """
                {"deals":[{"id":"good","title":"t","price":1,"currency":"c","merchant":"m","url":"https://shop.example/g"},
                          {"id":"other","title":"t","price":1,"currency":"c","merchant":"m","url":"%s"}]}
                """.formatted(otherLink);
    }

    @Test
    void aBrokenDealIsNamedByItsPosition() {
        String good = "{\"id\":\"d\",\"title\":\"t\",\"price\":1,\"currency\":\"c\",\"merchant\":\"m\",\"url\":\"https://x/d\"}";
        assertThatThrownBy(() -> parser.parse("{\"deals\":[" + good + "," + good + ",{\"id\":\"x\"}]}"))
                .isInstanceOf(DealsApiException.class).hasMessage("deal 2 has no numeric price");
        assertThatThrownBy(() -> parser.parse("{\"deals\":[" + good + ",1]}"))
                .isInstanceOf(DealsApiException.class).hasMessage("deal 1 is not an object");
    }
}
