package digiads.bench;

import java.io.*;
import java.net.ServerSocket;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.TimeUnit;

/** A child process of the suite (moto, WireMock, the app) and what /proc says about it. */
final class Proc implements AutoCloseable {

    final String name;
    final Process process;
    final Path log;
    final long startedNanos;
    final java.time.Instant startedAt;

    private Proc(String name, Process process, Path log, long startedNanos, java.time.Instant startedAt) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.startedNanos = startedNanos;
        this.startedAt = startedAt;
    }

    /** The suite's CPU pinning ({@code BENCH_PIN}), applied to every process it starts. */
    static volatile Pinning pinning = Pinning.OFF;

    static Proc start(String name, List<String> command, Path cwd, Path log, Map<String, String> env) {
        command = pinning.wrap(name, command);
        try {
            Files.createDirectories(log.getParent());
            Files.createDirectories(cwd);
            ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            java.time.Instant wall = java.time.Instant.now();
            long t0 = System.nanoTime();
            Process p = pb.start();
            return new Proc(name, p, log, t0, wall);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM, then SIGKILL after the grace period; returns how long the process took to exit. */
    Duration stop(Duration grace) {
        long t0 = System.nanoTime();
        if (!process.isAlive()) {
            return Duration.ZERO;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Kills every process of a registry still alive, the last started first. */
    static void killAll(List<Proc> registry) {
        List<Proc> all;
        synchronized (registry) {
            all = new java.util.ArrayList<>(registry);
        }
        java.util.Collections.reverse(all);
        for (Proc p : all) {
            if (p.alive()) {
                p.kill();
            }
        }
    }

    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Waits until the process is ready; fails with its log's tail when it exits or the time is up. */
    void await(Duration timeout, java.util.function.BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!alive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not start within " + timeout + ":\n" + tail(40));
            }
            sleep(100);
        }
    }

    static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** This JVM's java, which starts the app, WireMock and the issuer. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    // ---- /proc ------------------------------------------------------------------------------------

    /** Resident set size in KiB, or -1. */
    static long rssKb(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** The part of the resident set that is mapped files (the JVM's libraries, the JDK's class archive), KiB, or -1. */
    static long rssFileKb(long pid) {
        return statusField(pid, "RssFile:");
    }

    static long threads(long pid) {
        return statusField(pid, "Threads:");
    }

    private static long statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /** utime + stime of the process (all its threads), in clock ticks; -1 when gone. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state=0 ... utime=11 stime=12
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU jiffies of a JVM's JIT compiler threads (HotSpot names them "C1 CompilerThread<n>" and
     * "C2 CompilerThread<n>"; Linux keeps the first 15 characters), from /proc/<pid>/task/<tid>/stat; -1 if the
     * process is gone.
     */
    static long jitTicks(long pid) {
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return tasks.mapToLong(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (!comm.startsWith("C1 CompilerThre") && !comm.startsWith("C2 CompilerThre")) {
                        return 0;
                    }
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (IOException | RuntimeException e) {
                    return 0; // a thread that ended meanwhile
                }
            }).sum();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {busy, total} jiffies of the whole machine, from the first line of /proc/stat. */
    static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
