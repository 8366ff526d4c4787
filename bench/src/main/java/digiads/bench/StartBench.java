package digiads.bench;

import java.io.File;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench/run.sh start}: start to ready (readiness UP on the management port) of the jar, the extracted jar and the
 * extracted jar with the AOT cache the Dockerfile's training script writes, each {@code BENCH_STARTS} times in turn.
 */
final class StartBench extends Modes {

    /** One way to start the app. */
    record Form(String name, String command, Path jar, List<String> jvmArgs) {
    }

    /** One start of one form, with the app's resident memory when it was ready. */
    record Run(Form form, App.Start start, long rssKbAtReady) {
        double ready() {
            return start.ready();
        }
    }

    /** One form's figures in the report: medians over its starts, and the fastest and slowest start. */
    record Row(Form form, double ready, double min, double max, double http, double cpu, double rssMb) {
    }

    final List<Run> runs = new ArrayList<>();
    final List<Map.Entry<String, String>> facts = new ArrayList<>();
    final List<Row> rows = new ArrayList<>();
    Row jarRow;
    Row cached;
    double cachedShare;

    @Override
    void run() throws Exception {
        String java = Proc.java();
        Path extracted = cfg.work.resolve("extracted");
        Path cache = extracted.resolve("app.aot");

        phase("extract the jar (java -Djarmode=tools -jar … extract)");
        deleteTree(extracted);
        exec("extract", List.of(java, "-Djarmode=tools", "-jar", cfg.appJar.toString(), "extract", "--destination",
                extracted.toString()), cfg.work.resolve("app-cwd"), Map.of());
        Path jar;
        try (var files = Files.list(extracted)) {
            jar = files.filter(f -> f.toString().endsWith(".jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jar in " + extracted));
        }

        phase("training run: the AOT cache (docker/train-aot-cache.sh)");
        long t0 = System.nanoTime();
        // as in the image: jvm.options beside the jar, the script run there; MaxRAM as the container's limit,
        // and this JVM's java first on the PATH. The jar by the path the starts use: the cache records it.
        Files.copy(cfg.appJvm.optionsFile(), extracted.resolve("jvm.options"));
        exec("training", List.of("sh", cfg.repo.resolve("docker/train-aot-cache.sh").toString(),
                        jar.toString()), extracted,
                Map.of("JDK_JAVA_OPTIONS", "-XX:MaxRAM=" + cfg.appJvm.maxRam(),
                        "PATH", Path.of(java).getParent() + File.pathSeparator + System.getenv("PATH")));
        facts.add(Map.entry("Training run (docker/train-aot-cache.sh: a full start, stopped after 30 s, then the cache "
                + "written)", Md.fmt("%.1f s", (System.nanoTime() - t0) / 1e9)));
        facts.add(Map.entry("AOT cache", Md.fmt("%.0f MB", Files.size(cache) / 1e6)));
        facts.add(Map.entry("Jar", Md.fmt("%.1f MB", Files.size(cfg.appJar) / 1e6)));

        List<Form> forms = List.of(
                new Form("jar", "java -jar digiads.jar", cfg.appJar, List.of()),
                new Form("extracted", "java -jar application.jar (extracted)", jar, List.of()),
                new Form("extracted + AOT cache", "java -XX:AOTCache=app.aot -jar application.jar (extracted)", jar,
                        // AOTMode=on: a start that cannot use the cache fails instead of timing a start without it
                        List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on")));

        Emulators e = startEmulators(4);
        try (Aws aws = e.aws()) {
            for (int i = 1; i <= cfg.starts; i++) {
                for (Form form : forms) {
                    phase("start " + i + "/" + cfg.starts + ": " + form.name());
                    App app = App.start(cfg, form.jar(), e.moto().port(), e.rekognition().url(), "http://127.0.0.1:9",
                            e.issuer(), "start-" + form.name().replaceAll("[^a-z]+", "-") + "-" + i, form.jvmArgs(),
                            List.of(), procs);
                    runs.add(new Run(form, App.Start.of(app), app.rssKb()));
                    System.out.printf("  ready after %.2f s%n", app.readyAfter.toMillis() / 1000.0);
                    app.proc.stop(Duration.ofSeconds(40));
                }
            }
        }
        loadEnd = loadAverage();
        phase("report");
        Figures figures = Figures.made(began, Bench.git(cfg.repo), cfg.quick ? "smoke run (BENCH_QUICK=1)" : "bench/run.sh start");
        String[] keys = {"start.jar-median", "start.extracted-median", "start.aot-median"};
        for (int i = 0; i < forms.size(); i++) {
            Form form = forms.get(i);
            List<Run> of = runs.stream().filter(r -> r.form().equals(form)).toList();
            rows.add(new Row(form, median(of, Run::ready), of.stream().mapToDouble(Run::ready).min().orElse(Double.NaN),
                    of.stream().mapToDouble(Run::ready).max().orElse(Double.NaN), median(of, r -> r.start().http()),
                    median(of, r -> r.start().cpuSeconds()), median(of, r -> r.rssKbAtReady() / 1024.0)));
            figures.put(keys[i], rows.getLast().ready());
        }
        jarRow = rows.getFirst();
        cached = rows.getLast();
        cachedShare = 100 * cached.ready() / jarRow.ready();
        write("bench-start.md", "Benchmark: start to ready", "bench/run.sh start");
        figures.write(report(Figures.START_FILE));
    }

    private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> metric) {
        return Results.median(runs.stream().mapToDouble(metric).toArray());
    }

    /** Runs a command to its end; fails with its output's tail when it does not exit 0. */
    private void exec(String name, List<String> command, Path cwd, Map<String, String> env) throws InterruptedException {
        Proc proc = Proc.start(name, command, cwd, cfg.work.resolve("logs/" + name + ".log"), env);
        procs.add(proc);
        if (!proc.process.waitFor(10, TimeUnit.MINUTES) || proc.process.exitValue() != 0) {
            throw new IllegalStateException(name + " failed:\n" + proc.tail(40));
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
