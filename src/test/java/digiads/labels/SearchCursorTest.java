package digiads.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import digiads.api.ApiException;
import org.junit.jupiter.api.Test;

/** Cursors are opaque, round-trip exactly, belong to one query, and anything else is a 400. */
class SearchCursorTest {

    @Test
    void aCursorComesBackAsItWasGiven() {
        SearchCursor cursor = new SearchCursor("dog", Arrays.asList(null, "001#abc", "002#é", null),
                List.of(false, false, false, true));
        String encoded = cursor.encode();
        assertThat(encoded).matches("[A-Za-z0-9_-]+");
        assertThat(SearchCursor.decode(encoded, "dog")).isEqualTo(cursor);
        assertThat(cursor.finished()).isFalse();
    }

    @Test
    void noCursorIsTheStart() {
        SearchCursor start = SearchCursor.start("dog");
        assertThat(SearchCursor.decode(null, "dog")).isEqualTo(start);
        assertThat(SearchCursor.decode("", "dog")).isEqualTo(start);
        assertThat(start.after()).containsOnlyNulls().hasSize(LabelIndex.SHARDS);
        assertThat(start.done()).containsOnly(false).hasSize(LabelIndex.SHARDS);
        assertThat(start.finished()).isFalse();
        assertThat(new SearchCursor("", Arrays.asList(null, null, null, null), List.of(true, true, true, true)).finished())
                .isTrue();
    }

    @Test
    void aCursorOfAnotherQueryOrNoCursorAtAllIsABadRequest() {
        String dogs = SearchCursor.start("dog").encode();
        for (String bad : List.of("%%%", "bm90IGpzb24", json("[]"), json("{\"v\":2,\"q\":\"dog\",\"s\":[null,null,null,null]}"),
                json("{\"v\":1,\"q\":5,\"s\":[null,null,null,null]}"), json("{\"v\":1,\"q\":\"dog\",\"s\":[null,null,null]}"),
                json("{\"v\":1,\"q\":\"dog\",\"s\":{}}"), json("{\"v\":1,\"q\":\"dog\",\"s\":[null,null,null,\"\"]}"),
                json("{\"v\":1,\"q\":\"dog\",\"s\":[null,null,null,true]}"), json("{\"v\":1,\"q\":\"dog\",\"s\":[null,null,null,7]}"),
                json("null"))) {
            assertThatThrownBy(() -> SearchCursor.decode(bad, "dog")).as(bad).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.error()).isEqualTo("bad_request");
                assertThat(e.getMessage()).contains("cursor");
            });
        }
        assertThatThrownBy(() -> SearchCursor.decode(dogs, "cat")).isInstanceOf(ApiException.class);
        assertThat(SearchCursor.decode(json("{\"v\":1,\"q\":\"dog\",\"s\":[null,\"x\",false,null]}"), "dog"))
                .isEqualTo(new SearchCursor("dog", Arrays.asList(null, "x", null, null), List.of(false, false, true, false)));
    }

    @Test
    void aCursorHasAPositionForEveryShard() {
        assertThatThrownBy(() -> new SearchCursor("dog", Arrays.asList(null, null), List.of(false, false)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SearchCursor("dog", Arrays.asList(null, null, null, null), List.of(false)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String json(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
