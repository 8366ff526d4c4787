package digiads.bench;

import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

import org.HdrHistogram.Histogram;

/**
 * Load on the app. Closed ({@link #run}): N clients, each sending its next request when the previous answered.
 * Open ({@link #open}): request i fired at start + i / rate to a pool of senders, its latency from that INTENDED
 * time (no coordinated omission); requests intended in the window are recorded, also when they end after it.
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
        /** Open loop: the share of the closed-loop maximum, its rate; requests intended in the window, sent in it. */
        double share;
        double intendedRate;
        long intended;
        long sentInWindow;

        synchronized void record(Outcome o, long nanos) {
            hist.recordValue(Math.max(1, nanos / 1000));
            count++;
            dealsWaitNanos += o.dealsWaitNanos();
            errors += o.ok() ? 0 : 1;
            if (o.tag() != null) {
                tags.merge(o.tag(), 1L, Long::sum);
            }
        }

        double rps() {
            return count / seconds;
        }

        double achievedRate() {
            return sentInWindow / seconds;
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
            return String.format("%-28s c=%-3d n=%-6d %7.1f/s  p50 %8.2f  p90 %8.2f  p99 %8.2f  max %8.2f ms  err %d %s%s",
                    name, clients, count, rps(), p(50), p(90), p(99), max(), errors, tags, intendedRate == 0 ? ""
                            : String.format("  (open loop: %.1f/s intended, %.1f/s sent)", intendedRate, achievedRate()));
        }
    }

    /** Latencies in microseconds, up to 10 minutes, with 3 significant digits. */
    static Histogram newHistogram() {
        return new Histogram(600_000_000L, 3);
    }

    /** Open loop: at most this many requests in flight; more wait for a sender (and the wait counts). */
    static final int SENDERS = 256;

    private Load() {
    }

    private static Outcome call(Task task, int client) {
        try {
            return task.call(client);
        } catch (Exception e) {
            return Outcome.error(e.getClass().getSimpleName());
        }
    }

    /** Runs the task from N clients: warm-up, then the measured window; samples every 250 ms while measuring. */
    static Result run(String name, int clients, Duration warmup, Duration window, Task task, LongConsumer sampler) {
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long end = measureFrom + window.toNanos();
        Result r = new Result();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int client = i;
            threads.add(Thread.ofPlatform().daemon().name(name + "-" + i).start(() -> {
                for (long t0 = System.nanoTime(); t0 < end; t0 = System.nanoTime()) {
                    Outcome o = call(task, client);
                    if (t0 >= measureFrom) {
                        r.record(o, System.nanoTime() - t0);
                    }
                }
            }));
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
        r.name = name;
        r.clients = clients;
        r.seconds = window.toNanos() / 1e9;
        r.cpu = Cpu.between(a, b);
        return r;
    }

    /**
     * Open loop at {@code rate} requests a second ({@code share} of the closed-loop maximum); errors include
     * the requests intended in the window and still unanswered 60 s after it.
     */
    static Result open(String name, double share, double rate, Duration warmup, Duration window, Task task) {
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS, Thread.ofPlatform().daemon().name(name + "-sender")
                .factory());
        Result r = new Result();
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime() + 50_000_000L;
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + window.toNanos();
        long intended = 0;
        Cpu.Snapshot a = null;
        for (long i = 0; ; i++) {
            long due = start + Math.round(i * 1e9 / rate);
            if (due >= end) {
                break;
            }
            if (a == null && due >= measureFrom) {
                LockSupport.parkNanos(measureFrom - System.nanoTime());
                a = Cpu.take();
            }
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            boolean measured = due >= measureFrom;
            intended += measured ? 1 : 0;
            senders.execute(() -> {
                if (measured && System.nanoTime() < end) {
                    sent.incrementAndGet();
                }
                Outcome o = call(task, 0);
                if (measured) {
                    r.record(o, System.nanoTime() - due);
                }
            });
        }
        LockSupport.parkNanos(end - System.nanoTime());
        Cpu.Snapshot b = Cpu.take();
        senders.shutdown();
        try {
            if (!senders.awaitTermination(60, TimeUnit.SECONDS)) {
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        synchronized (r) {
            r.name = name;
            r.share = share;
            r.intendedRate = rate;
            r.seconds = window.toNanos() / 1e9;
            r.intended = intended;
            r.sentInWindow = sent.get();
            r.errors += intended - r.count;
            r.cpu = a == null ? null : Cpu.between(a, b);
        }
        System.out.println("  " + r);
        if (r.cpu != null) {
            System.out.println("      cpu: " + r.cpu.describe());
        }
        return r;
    }

    static void sleepUntil(long nanos) {
        long d = nanos - System.nanoTime();
        if (d > 0) {
            Proc.sleep(Math.max(1, d / 1_000_000));
        }
    }
}
