package digiads.docs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a Markdown page is read: GitHub's anchors, links with their line, and which lines count as prose. */
class MarkdownPageTest {

    @Test
    void headingsGetGitHubsAnchorsAndARepeatedOneANumber() {
        MarkdownPage page = MarkdownPage.parse("""
                # Finding images by label: the DynamoDB design
                ## `GET /api/images/{imageId}/events` and `GET /api/events`
                ## Versions (rolling upgrades)
                ## Notes
                ## Notes
                ## Größe & *Maß*
                """);
        assertThat(page.anchors()).containsExactlyInAnyOrder("finding-images-by-label-the-dynamodb-design",
                "get-apiimagesimageidevents-and-get-apievents", "versions-rolling-upgrades", "notes", "notes-1",
                "größe--maß");
    }

    @Test
    void linksAndImagesKeepTheirLineAndTheirTextWhenPlainOrCode() {
        MarkdownPage page = MarkdownPage.parse("""
                Text [`Class.method`](A.java) and
                ![a picture](p.png), [method][] and [two words](b.md#x).

                [method]: B.java
                """);
        assertThat(page.links()).containsExactly(new MarkdownPage.Target("A.java", 1, "Class.method"),
                new MarkdownPage.Target("p.png", 2, null), new MarkdownPage.Target("B.java", 2, "method"),
                new MarkdownPage.Target("b.md#x", 2, "two words"));
    }

    @Test
    void codeAndLinkDefinitionsAreNotProseAndTableRowsHaveTheirOwnLimit() {
        String longWords = "word ".repeat(30).strip();
        MarkdownPage page = MarkdownPage.parse("""
                ```
                %1$s
                ```

                | a | b |
                |---|---|
                | %1$s | x |

                [name]: https://example.com/%2$s

                %1$s
                """.formatted(longWords, "x".repeat(130)));
        assertThat(page.tooLongLines(120, 200)).singleElement().asString().startsWith("11: 149 > 120");
        assertThat(page.tooLongLines(120, 100)).hasSize(2).first().asString().startsWith("7: 157 > 100");
    }
}
