package digiads.bench;

import java.nio.file.*;
import java.time.*;
import java.util.*;

/**
 * What the modes of bench/run.sh besides the full suite share ({@code search}, {@code streams}): the
 * processes they start (stopped at the end, also on failure), phases on the console, the load average,
 * and the machine's description for the report.
 */
abstract class Modes {

    final Config cfg = new Config();
    final List<Proc> procs = Collections.synchronizedList(new ArrayList<>());
    Instant began;
    private long phaseStart;
    private boolean stopped;

    abstract void run() throws Exception;

    /** Runs the mode and stops every process it started; the exit code. */
    static int run(Modes mode) {
        Runtime.getRuntime().addShutdownHook(new Thread(mode::stopAll, "bench-stop"));
        Proc.pinning = mode.cfg.pinning;
        mode.cfg.pinning.pinSelf();
        try {
            mode.began = Instant.now();
            Files.createDirectories(mode.cfg.work.resolve("logs"));
            if (!Files.isRegularFile(mode.cfg.appJar)) {
                throw new IllegalStateException("no app jar at " + mode.cfg.appJar + " (bench/run.sh builds it)");
            }
            mode.run();
            return 0;
        } catch (Throwable t) {
            t.printStackTrace();
            return 1;
        } finally {
            mode.stopAll();
        }
    }

    synchronized void stopAll() {
        if (stopped) {
            return;
        }
        stopped = true;
        Proc.killAll(procs);
    }

    void phase(String name) {
        long now = System.nanoTime();
        if (phaseStart != 0) {
            System.out.printf("  (%.1f s)%n", (now - phaseStart) / 1e9);
        }
        phaseStart = now;
        System.out.printf("[%5.0f s] %s  (load average %s)%n", Duration.between(began, Instant.now()).toMillis() / 1000.0,
                name, loadAverage());
    }

    /** The 1-, 5- and 15-minute load averages, as /proc/loadavg gives them. */
    static String loadAverage() {
        String[] f = Bench.read(Path.of("/proc/loadavg"), "? ? ?").split("\\s+");
        return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "?";
    }

    /** The machine and the software the figures come from. */
    Map<String, String> machine(String appJvm) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("CPU", Bench.cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        m.put("Memory", Bench.meminfo("MemTotal") + " total");
        m.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")");
        m.put("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("App", "the app jar, " + appJvm);
        m.put("moto", Bench.read(cfg.repo.resolve(".venv-moto/.moto-version"), "?") + " (single Python process)");
        m.put("Commit", Bench.git(cfg.repo));
        return m;
    }

    /** The 1-, 5- and 15-minute load averages at the mode's start and end, for its report. */
    String loadStart = loadAverage();
    String loadEnd;
    /** The report's title and the command that wrote it, and when ({@link #write}). */
    String title;
    String command;
    Instant ended;

    /**
     * Writes a report (docs/, or bench/target/run/quick/ in a quick run) from its template, the file's name
     * without ".md", which reads this mode's fields; its title partial reads title, command and the times.
     */
    void write(String file, String title, String command) throws java.io.IOException {
        this.title = title;
        this.command = command;
        this.ended = Instant.now();
        Path out = report(file);
        Files.writeString(out, Md.render(file.replaceFirst("\\.md$", ""), this));
        System.out.println("Wrote " + out);
    }

    String generated() {
        return utc(ended);
    }

    static String utc(Instant t) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC)
                .format(t);
    }

    double minutes() {
        return Duration.between(began, ended).toMillis() / 60000.0;
    }

    /** The machine partial's facts. */
    List<Map.Entry<String, String>> machineFacts() {
        return List.copyOf(machine(cfg.appJvm.describe()).entrySet());
    }

    /** moto, the Rekognition stand-in in front of it and the local issuer, each registered to be stopped. */
    record Emulators(Service moto, Service rekognition, Issuer issuer, Aws aws) {
    }

    /** The emulators, and SDK clients on them with the app's resources provisioned (the caller closes them). */
    Emulators startEmulators(int connections) {
        phase("setup: moto, the Rekognition stand-in, the local issuer, resources");
        Service moto = Service.moto(cfg, procs);
        Service rekognition = Service.rekognition(cfg, moto, procs);
        Aws aws = new Aws(moto.url(), rekognition.url(), connections, ResourceDefinition.of(cfg.repo));
        aws.provision(aws.app);
        return new Emulators(moto, rekognition, Issuer.start(cfg, procs), aws);
    }

    /** Where a mode's report goes: docs/ (BENCH_DOCS), or bench/target/run/quick/ in a quick run. */
    Path report(String file) throws java.io.IOException {
        Files.createDirectories(cfg.docs);
        return cfg.docs.resolve(file);
    }
}
