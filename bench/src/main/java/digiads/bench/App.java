package digiads.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application as it ships: {@code java -jar digiads-0.1.0-SNAPSHOT.jar}, default JVM flags plus
 * -Xmx, no profile, configured on the command line as in production (only the endpoints point at
 * moto and WireMock).
 */
final class App implements AutoCloseable {

    static final String ADMIN_PASSWORD = "bench-admin";

    final Proc proc;
    final int port;
    /** Process start to the first 200 "UP" of /actuator/health. */
    Duration readyAfter;
    /** Process start to the first HTTP answer of any kind. */
    Duration httpAfter;
    /** Process start to "Tomcat started" and to "Apache Camel … started", from the app's log. */
    Double tomcatSeconds;
    Double camelSeconds;
    /** CPU time the process used until ready, and what the whole machine used meanwhile. */
    double cpuSecondsToReady;
    double machineCpuSecondsToReady;
    private long[] machineAtStart;

    /** The start-up milestones of one start. */
    record Start(double ready, double http, Double tomcat, Double camel, double cpuSeconds, double machineCpuSeconds) {
        static Start of(App a) {
            return new Start(a.readyAfter.toMillis() / 1000.0, a.httpAfter.toMillis() / 1000.0, a.tomcatSeconds,
                    a.camelSeconds, a.cpuSecondsToReady, a.machineCpuSecondsToReady);
        }

        /** CPU-seconds the rest of the machine used while the app started. */
        double othersCpuSeconds() {
            return Math.max(0, machineCpuSeconds - cpuSeconds);
        }
    }

    static App start(Config config, int motoPort, Deals deals, String label, List<String> extraJvmArgs, List<Proc> registry) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + config.appXmx);
        cmd.addAll(extraJvmArgs);
        cmd.add("-jar");
        cmd.add(config.appJar.toString());
        String moto = "http://127.0.0.1:" + motoPort;
        int port = Proc.freePort();
        cmd.addAll(List.of(
                "--digiads.aws.endpoint-override=" + moto,
                "--digiads.aws.access-key-id=test",
                "--digiads.aws.secret-access-key=test",
                "--digiads.aws.account-id=" + Aws.ACCOUNT,
                "--digiads.sqs.base-url=" + moto + "/" + Aws.ACCOUNT,
                "--digiads.deals.base-url=" + deals.baseUrl(),
                "--digiads.deals.api-key=bench-key",
                "--server.port=" + port));
        cmd.addAll(config.appArgs);
        // the operator's password for the actuator endpoints behind login (Prometheus), as production sets it
        long[] machine = Proc.machineTicks();
        Proc proc = Proc.start("app", cmd, config.work.resolve("app-cwd"), config.work.resolve("logs/app-" + label + ".log"),
                Map.of("SPRING_SECURITY_USER_PASSWORD", ADMIN_PASSWORD));
        registry.add(proc);
        App app = new App(proc, port);
        app.machineAtStart = machine;
        app.awaitReady(Duration.ofSeconds(120));
        return app;
    }

    private App(Proc proc, int port) {
        this.proc = proc;
        this.port = port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitReady(Duration timeout) {
        long deadline = proc.startedNanos + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!proc.alive()) {
                throw new IllegalStateException("the app exited:\n" + proc.tail(60));
            }
            try {
                Http.Response r = Http.get(url() + "/actuator/health", Map.of(), 200, 2000);
                long now = System.nanoTime();
                if (httpAfter == null) {
                    httpAfter = Duration.ofNanos(now - proc.startedNanos);
                }
                if (r.status() == 200 && r.text().contains("\"UP\"")) {
                    readyAfter = Duration.ofNanos(now - proc.startedNanos);
                    cpuSecondsToReady = Proc.cpuTicks(proc.pid()) / Cpu.CLK_TCK;
                    machineCpuSecondsToReady = (Proc.machineTicks()[0] - machineAtStart[0]) / Cpu.CLK_TCK;
                    tomcatSeconds = milestone("Tomcat started on port");
                    camelSeconds = milestone("(digiads) started in");
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Proc.sleep(100);
        }
        throw new IllegalStateException("the app was not ready within " + timeout + ":\n" + proc.tail(60));
    }

    /** Seconds from process start to the timestamp of the first log line containing the text. */
    private Double milestone(String text) {
        for (String line : proc.tail(2000).split("\n")) {
            if (line.contains(text) && line.length() > 24) {
                try {
                    java.time.Instant t = java.time.Instant.parse(line.substring(0, 24).trim());
                    return java.time.Duration.between(proc.startedAt, t).toMillis() / 1000.0;
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The circuit breaker's state from /actuator/prometheus (resilience4j metrics), when exposed. */
    String breakerState() {
        try {
            String auth = java.util.Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes());
            Http.Response r = Http.get(url() + "/actuator/prometheus", Map.of("Authorization", "Basic " + auth), 500, 3000);
            if (r.status() != 200) {
                return "n/a";
            }
            String text = r.text();
            for (String line : text.split("\n")) {
                if (line.startsWith("resilience4j_circuitbreaker_state{") && line.trim().endsWith(" 1.0")) {
                    Matcher m = Pattern.compile("state=\"([a-z_]+)\"").matcher(line);
                    if (m.find()) {
                        return m.group(1);
                    }
                }
            }
        } catch (IOException e) {
            // not exposed
        }
        return "n/a";
    }

    /** {@code jcmd <pid> GC.heap_info}: the heap and metaspace, committed and used. */
    String heapInfo() {
        return jcmd("GC.heap_info");
    }

    String jcmd(String... command) {
        try {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(proc.pid())));
            cmd.addAll(List.of(command));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    long rssKb() {
        return Proc.rssKb(proc.pid());
    }

    @Override
    public void close() {
        proc.stop(Duration.ofSeconds(40));
    }
}
