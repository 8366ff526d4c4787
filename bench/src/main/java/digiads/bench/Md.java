package digiads.bench;

import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.function.DoubleFunction;

import com.samskivert.mustache.Mustache;

/**
 * Markdown for the reports: number formats, a table builder, and the templates
 * (src/main/resources/templates/NAME.mustache, jmustache) that hold the reports' prose. A template reads
 * the objects it is given by their fields and methods, and formats numbers with the sections below:
 * <code>{{#f}}x{{/f}}</code> is {@link #f}, and f0, f1, f2, n (thousands), pct, signed, plus likewise.
 */
final class Md {

    private static final Mustache.Compiler MUSTACHE = Mustache.compiler().escapeHTML(false).emptyStringIsFalse(true).zeroIsFalse(true).nullValue("–")
            .withLoader(name -> new InputStreamReader(resource(name), StandardCharsets.UTF_8));

    private static final Map<String, Object> FORMATS = Map.of("f", number(Md::f), "f0", number(v -> fmt("%.0f", v)),
            "f1", number(Md::f1), "f2", number(Md::ratio), "n", number(v -> fmt("%,d", Math.round(v))),
            "pct", number(Md::pct), "signed", number(Md::signed), "plus", number(v -> fmt("%+d", Math.round(v))),
            "wrap", (Mustache.Lambda) (fragment, out) -> out.write(wrap(fragment.execute(), 120)));

    /** The template {@code name} rendered with {@code scope}, the formats above it. */
    static String render(String name, Object scope) {
        java.io.StringWriter out = new java.io.StringWriter();
        MUSTACHE.loadTemplate(name).execute(scope, FORMATS, out);
        return out.toString();
    }

    private static java.io.InputStream resource(String name) {
        var in = Md.class.getResourceAsStream("/templates/" + name + ".mustache");
        if (in == null) {
            throw new UncheckedIOException(new IOException("no template " + name));
        }
        return in;
    }

    private static Mustache.Lambda number(DoubleFunction<String> format) {
        return (fragment, out) -> {
            String s = fragment.execute().trim();
            double v = s.isEmpty() || s.equals("–") ? Double.NaN : Double.parseDouble(s);
            out.write(Double.isNaN(v) ? "–" : format.apply(v));
        };
    }

    private Md() {
    }

    /**
     * A report as docs/ wants it (MarkdownDocsTest): each line of prose wrapped at 120 characters, and
     * in a table row over 200 its longest cells moved to numbered notes below the table. Headings,
     * code blocks and rows that fit are left as they are.
     */
    static String conform(String markdown) {
        StringBuilder out = new StringBuilder();
        List<String> notes = new ArrayList<>();
        boolean code = false;
        for (String line : markdown.split("\n", -1)) {
            boolean row = !code && line.startsWith("|");
            if (!row && !notes.isEmpty()) {
                out.append("\nNotes to the table:\n\n");
                for (int i = 0; i < notes.size(); i++) {
                    out.append(wrap((i + 1) + ". " + notes.get(i), 120)).append('\n');
                }
                notes.clear();
            }
            if (line.startsWith("```")) {
                code = !code;
            }
            if (row) {
                out.append(fitRow(line, notes));
            } else if (code || line.length() <= 120 || line.startsWith("#") || line.startsWith(" ")) {
                out.append(line);
            } else if (line.startsWith("> ")) {
                out.append(wrap(line.substring(2), 118).replaceAll("(?m)^", "> "));
            } else {
                out.append(wrap(line, 120));
            }
            out.append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    /** A table row of at most 200 characters: its longest cells, longest first, become "note n". */
    private static String fitRow(String row, List<String> notes) {
        List<String> cells = new ArrayList<>(List.of(row.substring(1, row.length() - 1).split("\\|", -1)));
        String fitted = row;
        while (fitted.length() > 200) {
            int longest = 0;
            for (int i = 1; i < cells.size(); i++) {
                longest = cells.get(i).length() > cells.get(longest).length() ? i : longest;
            }
            notes.add(cells.get(longest).trim());
            cells.set(longest, " note " + notes.size() + " ");
            fitted = "|" + String.join("|", cells) + "|";
        }
        return fitted;
    }

    private static final java.util.regex.Pattern LIST_ITEM = java.util.regex.Pattern.compile("^(- |\\d+\\. )");

    /** A paragraph, a bullet ("- " and a hanging indent) or a numbered note ("1. "), wrapped at the width. */
    static String wrap(String text, int width) {
        java.util.regex.Matcher item = LIST_ITEM.matcher(text);
        String prefix = item.find() ? item.group(1) : "";
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder(prefix);
        boolean empty = true;
        for (String word : text.substring(prefix.length()).trim().split(" +")) {
            if (!empty && line.length() + 1 + word.length() > width) {
                out.append(line).append('\n');
                line = new StringBuilder(" ".repeat(prefix.length()));
                empty = true;
            }
            line.append(empty ? "" : " ").append(word);
            empty = false;
        }
        return out.append(line).toString();
    }

    /** 3 significant figures or so: 1.23, 12.3, 123. */
    static String f(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }

    static String f1(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String ratio(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f %%", v * 100);
    }

    static String signed(double v) {
        return Double.isNaN(v) ? "–" : (v >= 0 ? "+" : "−") + f(Math.abs(v));
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** CPU of the suite's processes in % of one core. */
    static String cpu(Cpu.Usage u) {
        if (u == null) {
            return "–";
        }
        String named = cpu(u.of("app"), u.of("moto"), u.of("wiremock"), u.of("bench"), u.of("other"));
        // dynalite runs in the pipeline phase only: its share is shown where it ran
        return u.cores().containsKey("dynalite") ? named + fmt(" · dynalite %.0f", u.of("dynalite") * 100) : named;
    }

    static String cpu(double app, double moto, double wiremock, double bench, double other) {
        return fmt("app %.0f · moto %.0f · WM %.0f · bench %.0f · other %.0f", app * 100, moto * 100, wiremock * 100,
                bench * 100, other * 100);
    }

    /** A Markdown table: a header row, then rows of cells ("|" in a cell is escaped). */
    static final class Table {
        private final List<String> header;
        private final List<List<String>> rows = new ArrayList<>();

        Table(String... header) {
            this.header = List.of(header);
        }

        Table row(Object... cells) {
            List<String> r = new ArrayList<>();
            for (Object c : cells) {
                r.add(c == null ? "" : c.toString().replace("|", "/"));
            }
            while (r.size() < header.size()) {
                r.add("");
            }
            rows.add(r);
            return this;
        }

        boolean isEmpty() {
            return rows.isEmpty();
        }

        /** The table without its trailing blank line, for a template. */
        String md() {
            return toString().stripTrailing();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
            sb.append("---|".repeat(header.size())).append('\n');
            rows.forEach(r -> sb.append("| ").append(String.join(" | ", r)).append(" |\n"));
            return sb.append('\n').toString();
        }
    }
}
