package digiads.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.*;
import java.util.regex.*;

/**
 * The app as it ships ({@link AppJvm}'s flags, no profile): endpoints on the command line; the issuer, the operator
 * password and the management port from the environment, as in production. Health and Prometheus on the management port.
 */
final class App implements AutoCloseable {

    static final String ADMIN_PASSWORD = "bench-admin";

    final Proc proc;
    /** The public port: the API. */
    final int port;
    /** The management port: actuator (health, Prometheus), Hawtio, Jolokia. */
    final int managementPort;
    /** Process start to the first 200 "UP" of /actuator/health (management port). */
    Duration readyAfter;
    /** Process start to the first HTTP answer of any kind on the management port. */
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

    static App start(Config config, int motoPort, String rekognition, String dealsUrl, Issuer issuer, String label,
                     List<String> extraJvmArgs, List<String> extraAppArgs, List<Proc> registry) {
        return start(config, config.appJar, motoPort, rekognition, dealsUrl, issuer, label, extraJvmArgs, extraAppArgs,
                registry);
    }

    /** The same, started from another form of the jar (the extracted one). */
    static App start(Config config, Path jar, int motoPort, String rekognition, String dealsUrl, Issuer issuer,
                     String label, List<String> extraJvmArgs, List<String> extraAppArgs, List<Proc> registry) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Proc.java());
        cmd.addAll(config.appJvm.args());
        cmd.addAll(extraJvmArgs);
        cmd.add("-jar");
        cmd.add(jar.toString());
        String moto = "http://127.0.0.1:" + motoPort;
        int port = Proc.freePort();
        int managementPort = Proc.freePort();
        while (managementPort == port) {
            managementPort = Proc.freePort();
        }
        cmd.addAll(List.of(
                "--digiads.aws.endpoint-override=" + moto,
                "--digiads.aws.rekognition-endpoint-override=" + rekognition,
                "--digiads.aws.access-key-id=test",
                "--digiads.aws.secret-access-key=test",
                "--digiads.aws.account-id=" + Aws.ACCOUNT,
                "--digiads.sqs.base-url=" + moto + "/" + Aws.ACCOUNT,
                "--digiads.deals.base-url=" + dealsUrl,
                "--digiads.deals.api-key=bench-key",
                "--server.port=" + port));
        cmd.addAll(config.appArgs);
        cmd.addAll(extraAppArgs);
        // as production sets them (README, "Against real AWS"): the issuer of the API's tokens, the operator's
        // password for the actuator endpoints behind login (Prometheus), and the management port
        Map<String, String> env = Map.of(
                "DIGIADS_SECURITY_ISSUER_URI", issuer.url(),
                "SPRING_SECURITY_USER_PASSWORD", ADMIN_PASSWORD,
                "MANAGEMENT_SERVER_PORT", Integer.toString(managementPort));
        long[] machine = Proc.machineTicks();
        Proc proc = Proc.start("app", cmd, config.work.resolve("app-cwd"), config.work.resolve("logs/app-" + label + ".log"),
                env);
        registry.add(proc);
        App app = new App(proc, port, managementPort);
        app.machineAtStart = machine;
        app.awaitReady(config.readyTimeout);
        return app;
    }

    private App(Proc proc, int port, int managementPort) {
        this.proc = proc;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** The API's base URL (public port). */
    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Operations' base URL (management port). */
    String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    private void awaitReady(Duration timeout) {
        long deadline = proc.startedNanos + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!proc.alive()) {
                throw new IllegalStateException("the app exited:\n" + proc.tail(60));
            }
            try {
                Http.Response r = Http.get(managementUrl() + "/actuator/health", Map.of(), 200, 2000);
                long now = System.nanoTime();
                if (httpAfter == null) {
                    httpAfter = Duration.ofNanos(now - proc.startedNanos);
                }
                if (r.status() == 200 && r.text().contains("\"UP\"")) {
                    readyAfter = Duration.ofNanos(now - proc.startedNanos);
                    cpuSecondsToReady = Proc.cpuTicks(proc.pid()) / Cpu.CLK_TCK;
                    machineCpuSecondsToReady = (Proc.machineTicks()[0] - machineAtStart[0]) / Cpu.CLK_TCK;
                    tomcatSeconds = milestone("Tomcat started on port " + port + " ");
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

    /**
     * The circuit breaker's state from /actuator/prometheus on the management port (resilience4j
     * metrics, with the operator's login), when exposed.
     */
    String breakerState() {
        try {
            String auth = java.util.Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes());
            Http.Response r = Http.get(managementUrl() + "/actuator/prometheus", Map.of("Authorization", "Basic " + auth), 500, 3000);
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
