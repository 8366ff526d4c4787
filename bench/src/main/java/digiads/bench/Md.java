package digiads.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Markdown for the reports: number formats and a table builder. */
final class Md {

    private Md() {
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
