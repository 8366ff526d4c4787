package digiads.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.LinkReferenceDefinition;
import org.commonmark.node.Node;
import org.commonmark.node.SourceSpan;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * One Markdown file as commonmark-java parses it (GitHub's tables included): its links and images, the
 * anchors its headings get on GitHub, and which of its lines are code, table rows or prose.
 */
record MarkdownPage(List<Target> links, Set<String> anchors, List<String> lines, Set<Integer> codeLines,
                    Set<Integer> tableLines) {

    /** A link or image: where it points, its line (1-based), and its text when that is one code span or plain text. */
    record Target(String destination, int line, String code) {
    }

    private static final Parser PARSER = Parser.builder()
            .extensions(List.of(TablesExtension.create()))
            .includeSourceSpans(IncludeSourceSpans.BLOCKS_AND_INLINES)
            .build();

    static MarkdownPage read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MarkdownPage parse(String markdown) {
        Node document = PARSER.parse(markdown);
        List<Target> links = new ArrayList<>();
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> slugsSeen = new HashMap<>();
        Set<Integer> codeLines = new HashSet<>();
        Set<Integer> tableLines = new HashSet<>();
        Set<Integer> referenceLines = new HashSet<>();
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(Link link) {
                links.add(new Target(link.getDestination(), line(link), code(link)));
                visitChildren(link);
            }

            @Override
            public void visit(Image image) {
                links.add(new Target(image.getDestination(), line(image), null));
                visitChildren(image);
            }

            @Override
            public void visit(Heading heading) {
                String slug = slug(text(heading));
                int seen = slugsSeen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(seen == 0 ? slug : slug + "-" + seen);
            }

            @Override
            public void visit(LinkReferenceDefinition definition) {
                lines(definition, referenceLines); // a link's address, not prose
            }

            @Override
            public void visit(FencedCodeBlock block) {
                lines(block, codeLines);
            }

            @Override
            public void visit(IndentedCodeBlock block) {
                lines(block, codeLines);
            }

            @Override
            public void visit(org.commonmark.node.CustomBlock block) {
                if (block instanceof TableBlock) {
                    lines(block, tableLines);
                }
                visitChildren(block);
            }
        });
        codeLines.addAll(referenceLines);
        return new MarkdownPage(links, anchors, markdown.lines().toList(), codeLines, tableLines);
    }

    /**
     * Lines (1-based, with the rule they break) longer than their kind may be; code and link reference definitions
     * (addresses, not prose) are not checked.
     */
    List<String> tooLongLines(int maxProse, int maxTableRow) {
        List<String> tooLong = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (codeLines.contains(i)) {
                continue;
            }
            String line = lines.get(i);
            int length = line.codePointCount(0, line.length());
            int max = tableLines.contains(i) ? maxTableRow : maxProse;
            if (length > max) {
                tooLong.add((i + 1) + ": " + length + " > " + max + ": " + line.substring(0, Math.min(line.length(), 60)) + "…");
            }
        }
        return tooLong;
    }

    /**
     * GitHub's anchor of a heading (github-slugger): lower case, every character but letters, marks, digits,
     * {@code _}, {@code -} and spaces removed, each space a {@code -}; a repeated slug gets {@code -1}, {@code -2}, ….
     */
    static String slug(String headingText) {
        return headingText.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
    }

    private static String text(Node node) {
        StringBuilder text = new StringBuilder();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(Text t) {
                text.append(t.getLiteral());
            }

            @Override
            public void visit(Code code) {
                text.append(code.getLiteral());
            }
        });
        return text.toString();
    }

    private static String code(Link link) {
        if (link.getFirstChild() == null || link.getFirstChild().getNext() != null) {
            return null;
        }
        return link.getFirstChild() instanceof Code code ? code.getLiteral()
                : link.getFirstChild() instanceof Text text ? text.getLiteral() : null;
    }

    private static int line(Node node) {
        return node.getSourceSpans().isEmpty() ? 0 : node.getSourceSpans().getFirst().getLineIndex() + 1;
    }

    private static void lines(Node block, Set<Integer> into) {
        for (SourceSpan span : block.getSourceSpans()) {
            into.add(span.getLineIndex());
        }
    }
}
