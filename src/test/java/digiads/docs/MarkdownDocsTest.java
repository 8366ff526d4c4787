package digiads.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The Markdown files hold together: every relative link and image of every tracked {@code *.md} file names a
 * tracked file or folder, every anchor a heading of its page (GitHub's slugs), every link to a test names a
 * class and method that exist; and the files read on a screen: no prose line over 120 characters, no table
 * row over 200.
 */
class MarkdownDocsTest {

    static final int MAX_PROSE_LINE = 120;
    static final int MAX_TABLE_ROW = 200;

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:|^//");
    /** A link to a Java file whose text names its class or a method of it: {@code Class}, {@code Class.method}, {@code method}. */
    private static final Pattern JAVA_NAME = Pattern.compile("(?:([A-Z]\\w*)(?:\\.(\\w+))?|([a-z]\\w*))");

    private final Map<Path, MarkdownPage> pages = new ConcurrentHashMap<>();

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        Set<String> tracked = TrackedFiles.in(ROOT);
        List<String> broken = new ArrayList<>();
        for (String file : TrackedFiles.markdown(tracked)) {
            for (MarkdownPage.Target link : page(ROOT.resolve(file)).links()) {
                String problem = problem(file, link, tracked);
                if (problem != null) {
                    broken.add(file + ":" + link.line() + ": (" + link.destination() + ") " + problem);
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void noProseLineOver120AndNoTableRowOver200() throws IOException {
        List<String> tooLong = new ArrayList<>();
        for (String file : TrackedFiles.markdown(TrackedFiles.in(ROOT))) {
            tooLong.addAll(page(ROOT.resolve(file)).tooLongLines(MAX_PROSE_LINE, MAX_TABLE_ROW).stream()
                    .map(line -> file + ":" + line).toList());
        }
        assertThat(tooLong).as("lines too long (prose > %d, table rows > %d characters)", MAX_PROSE_LINE, MAX_TABLE_ROW)
                .isEmpty();
    }

    /** Why a link does not resolve, or null when it does. */
    private String problem(String file, MarkdownPage.Target link, Set<String> tracked) throws IOException {
        String destination = link.destination();
        if (destination.isEmpty() || SCHEME.matcher(destination).find()) {
            return null; // an absolute URL: not this repository's to check
        }
        int hash = destination.indexOf('#');
        String path = URLDecoder.decode(hash < 0 ? destination : destination.substring(0, hash), StandardCharsets.UTF_8);
        String anchor = hash < 0 ? null : URLDecoder.decode(destination.substring(hash + 1), StandardCharsets.UTF_8);
        Path from = ROOT.resolve(file).getParent();
        Path target = path.isEmpty() ? ROOT.resolve(file)
                : (path.startsWith("/") ? ROOT.resolve(path.substring(1)) : from.resolve(path)).normalize();
        if (!target.startsWith(ROOT)) {
            return "points outside the repository";
        }
        String relative = ROOT.relativize(target).toString().replace('\\', '/');
        boolean isFile = tracked.contains(relative);
        boolean isFolder = !isFile && (relative.isEmpty()
                || tracked.stream().anyMatch(t -> t.startsWith(relative + "/")));
        if (!isFile && !isFolder) {
            return Files.exists(target) ? "names a file that is not tracked by git" : "names no file";
        }
        if (anchor != null) {
            if (!relative.endsWith(".md")) {
                return "has an anchor, but " + relative + " is not a Markdown page";
            }
            if (!page(target).anchors().contains(anchor)) {
                return "no heading of " + relative + " has the anchor #" + anchor;
            }
        }
        if (isFile && relative.endsWith(".java") && link.code() != null) {
            return javaNameProblem(target, link.code());
        }
        return null;
    }

    /** A link whose text is {@code Class}, {@code Class.method} or {@code method} must name the file's class and method. */
    private static String javaNameProblem(Path javaFile, String code) throws IOException {
        Matcher name = JAVA_NAME.matcher(code);
        if (!name.matches()) {
            return null;
        }
        String className = javaFile.getFileName().toString().replaceFirst("\\.java$", "");
        if (name.group(1) != null && !name.group(1).equals(className)) {
            return "names the class " + name.group(1) + ", but the file holds " + className;
        }
        String method = name.group(1) != null ? name.group(2) : name.group(3);
        if (method != null
                && !Pattern.compile("\\b" + Pattern.quote(method) + "\\s*\\(").matcher(Files.readString(javaFile)).find()) {
            return className + " has no method " + method;
        }
        return null;
    }

    private MarkdownPage page(Path file) {
        return pages.computeIfAbsent(file, MarkdownPage::read);
    }
}
