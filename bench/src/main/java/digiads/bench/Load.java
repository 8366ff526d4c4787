package digiads.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

import org.HdrHistogram.Histogram;

/**
 * Closed-loop load: N client threads, each sending its next request when the previous answered (no
 * think time). Requests started during the warm-up are not recorded; those started in the window
 * are, including the ones that finish after it (the window does not cut slow requests short).
 */
final class Load {

    /** What one request did: whether it succeeded, how long it waited on the Deals API, a tag to count. */
    record Outcome(boolean ok, long dealsWaitNanos, String tag) {
        static Outcome ok(String tag) {
            return new Outcome(true, 0, tag);
        }

        static Outcome error(String tag) {
            return new Outcome(false, 0, tag);
        }
    }

    interface Task {
        Outcome call(int client) throws Exception;
    }

    /** A run's latencies, recorded in µs, read in ms. */
    interface Latencies {
        Histogram hist();

        default double p(double percentile) {
            return hist().getValueAtPercentile(percentile) / 1000.0;
        }

        default double p50() {
            return p(50);
        }

        default double p90() {
            return p(90);
        }

        default double p99() {
            return p(99);
        }

        default double max() {
            return hist().getMaxValue() / 1000.0;
        }
    }

    /** A histogram of µs read in ms, "–" (NaN) when empty. */
    record Hist(Histogram hist) implements Latencies {
        Hist() {
            this(newHistogram());
        }

        long count() {
            return hist.getTotalCount();
        }

        @Override
        public double p(double percentile) {
            return count() == 0 ? Double.NaN : Latencies.super.p(percentile);
        }

        @Override
        public double max() {
            return count() == 0 ? Double.NaN : Latencies.super.max();
        }
    }

    static final class Result implements Latencies {
        String name;
        int clients;
        double seconds;
        final Histogram hist = newHistogram();
        long count;
        long errors;
        long dealsWaitNanos;
        final Map<String, Long> tags = new TreeMap<>();
        Cpu.Usage cpu;

        double rps() {
            return count / seconds;
        }

        /** A process's CPU time per request in this run, ms ("app", "bench", …, or {@link Cpu#APP_JIT}). */
        double cpuMsPerRequest(String process) {
            return cpu == null ? Double.NaN : cpu.of(process) * 1000 / rps();
        }

        @Override
        public Histogram hist() {
            return hist;
        }

        double mean() {
            return hist.getMean() / 1000.0;
        }

        double errorRate() {
            return count == 0 ? 0 : (double) errors / count;
        }

        double meanDealsWaitMs() {
            return count == 0 ? 0 : dealsWaitNanos / 1e6 / count;
        }

        @Override
        public String toString() {
            return String.format("%-28s c=%-3d n=%-6d %7.1f/s  p50 %8.2f  p90 %8.2f  p99 %8.2f  max %8.2f ms  err %d %s",
                    name, clients, count, rps(), p(50), p(90), p(99), max(), errors, tags);
        }
    }

    /** Latencies in microseconds, up to 10 minutes, with 3 significant digits. */
    static final long HIGHEST_MICROS = 600_000_000L;
    static final int SIGNIFICANT_DIGITS = 3;

    static Histogram newHistogram() {
        return new Histogram(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    }

    private Load() {
    }

    /** Runs the task from N clients: warm-up, then the measured window; samples every 250 ms while measuring. */
    static Result run(String name, int clients, Duration warmup, Duration window, Task task, LongConsumer sampler) {
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + window.toNanos();
        List<Thread> threads = new ArrayList<>();
        Histogram[] hists = new Histogram[clients];
        long[] counts = new long[clients];
        long[] errors = new long[clients];
        long[] waits = new long[clients];
        Map<String, AtomicLong> tags = new ConcurrentHashMap<>();
        for (int i = 0; i < clients; i++) {
            int client = i;
            hists[i] = newHistogram();
            Thread t = new Thread(() -> {
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        break;
                    }
                    Outcome o;
                    try {
                        o = task.call(client);
                    } catch (Exception e) {
                        o = Outcome.error(e.getClass().getSimpleName());
                    }
                    long t1 = System.nanoTime();
                    if (t0 >= measureFrom) {
                        hists[client].recordValue(Math.max(1, (t1 - t0) / 1000));
                        counts[client]++;
                        waits[client] += o.dealsWaitNanos();
                        if (!o.ok()) {
                            errors[client]++;
                        }
                        if (o.tag() != null) {
                            tags.computeIfAbsent(o.tag(), k -> new AtomicLong()).incrementAndGet();
                        }
                    }
                }
            }, name + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        sleepUntil(measureFrom);
        Cpu.Snapshot a = Cpu.take();
        while (System.nanoTime() < end) {
            if (sampler != null) {
                sampler.accept(System.nanoTime());
            }
            sleepUntil(Math.min(end, System.nanoTime() + 250_000_000L));
        }
        Cpu.Snapshot b = Cpu.take();
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        Result r = new Result();
        r.name = name;
        r.clients = clients;
        r.seconds = window.toNanos() / 1e9;
        for (int i = 0; i < clients; i++) {
            r.hist.add(hists[i]);
            r.count += counts[i];
            r.errors += errors[i];
            r.dealsWaitNanos += waits[i];
        }
        tags.forEach((k, v) -> r.tags.put(k, v.get()));
        r.cpu = Cpu.between(a, b);
        return r;
    }

    static void sleepUntil(long nanos) {
        long d = nanos - System.nanoTime();
        if (d > 0) {
            Proc.sleep(Math.max(1, d / 1_000_000));
        }
    }
}
