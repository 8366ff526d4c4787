package digiads.bench;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** docs/bench-start.md: the figures of {@link StartBench}. */
final class StartReport {

    private StartReport() {
    }

    static String render(StartBench b, List<StartBench.Form> forms) {
        StringBuilder md = new StringBuilder();
        Instant now = Instant.now();
        b.appendTitle(md, "Benchmark: start to ready", "bench/run.sh start");
        md.append("The app started ").append(b.cfg.starts).append(" times in each form the image can run it, in turn, "
                + "against moto, the Rekognition stand-in and the local issuer; **ready** is readiness UP on the management "
                + "port (the AWS checks answered), as the full suite measures it. The Dockerfile runs the last form.\n\n");

        double jarMedian = median(b, forms.get(0), StartBench.Run::ready);
        StartBench.Form cached = forms.get(forms.size() - 1);
        md.append("## Conclusion\n\n").append(String.format(Locale.ROOT,
                "With the AOT cache the app was ready after %.2f s (median) against %.2f s for the jar as built (%.0f %% of it); "
                        + "the issue's target is 6 s.\n\n",
                median(b, cached, StartBench.Run::ready), jarMedian,
                100 * median(b, cached, StartBench.Run::ready) / jarMedian));

        md.append("## Figures\n\n");
        md.append("| Form | Command | Ready, median s | min | max | HTTP up, median s | CPU s to ready (app) | RSS at ready, MB |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (StartBench.Form form : forms) {
            List<StartBench.Run> of = b.runs.stream().filter(r -> r.form().equals(form)).toList();
            md.append(String.format(Locale.ROOT, "| %s | `%s` | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f |%n",
                    form.name(), form.command(), median(b, form, StartBench.Run::ready),
                    of.stream().mapToDouble(StartBench.Run::ready).min().orElse(Double.NaN),
                    of.stream().mapToDouble(StartBench.Run::ready).max().orElse(Double.NaN),
                    median(b, form, r -> r.start().http()), median(b, form, r -> r.start().cpuSeconds()),
                    median(b, form, r -> r.rssKbAtReady() / 1024.0)));
        }
        md.append('\n');
        b.facts.forEach((k, v) -> md.append("- **").append(k).append(":** ").append(v).append('\n'));
        md.append("\nEach start in the order it ran (s to ready): ");
        md.append(String.join(", ", b.runs.stream().map(r -> String.format(Locale.ROOT, "%s %.2f", r.form().name(),
                r.ready())).toList())).append(".\n\n");

        md.append("## Method\n\n");
        md.append("- **Extracted:** `java -Djarmode=tools -jar digiads.jar extract` writes `application.jar` with its "
                + "dependencies in `lib/`: classes load from plain jars, not from the nested jars of the executable jar.\n");
        md.append("- **AOT cache** (JEP 483, 514, 515): the Dockerfile's own training script, "
                + "`docker/train-aot-cache.sh`, run in the extracted jar's directory: it starts the app all the way "
                + "(`-XX:AOTCacheOutput=app.aot`; both Tomcats, Hawtio, every route and AWS client) with nothing "
                + "reachable (placeholders for the settings the app refuses to start without; every AWS call goes to a "
                + "closed local port), stops it after 30 s, and the JVM writes the classes it loaded and linked and "
                + "their profiles. The cache belongs to this JVM, these flags and this class path.\n");
        md.append("- **Every start** and the training run have the container's JVM flags (").append(b.cfg.appJvm.describe())
                .append("), the same moto with its resources, and is stopped before the next.\n\n");
        b.appendMachine(md);
        md.append("- **Load average** at the start of the run: ").append(b.loadStart).append("; at the end: ")
                .append(b.loadEnd).append(" (1, 5, 15 minutes)\n");
        md.append("- **Command:** `bench/run.sh start`\n");
        return md.toString();
    }

    private static double median(StartBench b, StartBench.Form form, java.util.function.ToDoubleFunction<StartBench.Run> f) {
        double[] v = b.runs.stream().filter(r -> r.form().equals(form)).mapToDouble(f).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
