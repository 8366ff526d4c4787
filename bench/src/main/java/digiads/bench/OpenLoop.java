package digiads.bench;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Open-loop load: requests at a constant arrival rate, whatever the server does. A scheduler thread
 * fires request i at its intended time {@code start + i / rate} and hands it to a pool of sender
 * threads (the suite's blocking client, so a request in flight holds a thread, not the schedule); each
 * latency is recorded from the INTENDED send time to the last byte, so a request that waited for a
 * free sender or for the server counts that wait (no coordinated omission). Requests intended during
 * the warm-up are sent but not recorded; those intended in the window are, including the ones that
 * finish after it.
 */
final class OpenLoop {

    /** The outcome of one open-loop run. */
    static final class Result implements Load.Latencies {
        String name;
        double share;
        double intendedRate;
        double seconds;
        /** Requests intended in the window, and those of them actually sent in it. */
        long intended;
        long sentInWindow;
        long completed;
        long errors;
        /** Requests still unanswered when the run gave up waiting (counted as errors too). */
        long unfinished;
        final Histogram hist = Load.newHistogram();
        final Map<String, Long> tags = new TreeMap<>();
        Cpu.Usage cpu;

        double achievedRate() {
            return sentInWindow / seconds;
        }

        @Override
        public Histogram hist() {
            return hist;
        }

        @Override
        public String toString() {
            return String.format("%-28s %.1f/s intended, %.1f/s sent  n=%-6d p50 %8.2f  p90 %8.2f  p99 %8.2f  max %8.2f ms"
                            + "  err %d (unfinished %d) %s", name, intendedRate, achievedRate(), completed, p(50), p(90),
                    p(99), max(), errors, unfinished, tags);
        }
    }

    /** At most this many requests in flight; more wait for a sender (and the wait counts). */
    static final int SENDERS = 256;

    private OpenLoop() {
    }

    static Result run(String name, double share, double rate, Duration warmup, Duration window, Load.Task task) {
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS, r -> {
            Thread t = new Thread(r, name + "-sender");
            t.setDaemon(true);
            return t;
        });
        Histogram hist = new ConcurrentHistogram(Load.HIGHEST_MICROS, Load.SIGNIFICANT_DIGITS);
        AtomicLong sent = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Map<String, AtomicLong> tags = new ConcurrentHashMap<>();
        double intervalNanos = 1e9 / rate;
        long start = System.nanoTime() + 50_000_000L;
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + window.toNanos();
        long intended = 0;
        Cpu.Snapshot a = null;
        for (long i = 0; ; i++) {
            long due = start + Math.round(i * intervalNanos);
            if (due >= end) {
                break;
            }
            if (a == null && due >= measureFrom) {
                LockSupport.parkNanos(measureFrom - System.nanoTime());
                a = Cpu.take();
            }
            long wait = due - System.nanoTime();
            while (wait > 0) {
                LockSupport.parkNanos(wait);
                wait = due - System.nanoTime();
            }
            boolean measured = due >= measureFrom;
            if (measured) {
                intended++;
            }
            senders.execute(() -> {
                long t0 = System.nanoTime();
                if (measured && t0 < end) {
                    sent.incrementAndGet();
                }
                Load.Outcome o;
                try {
                    o = task.call(0);
                } catch (Exception e) {
                    o = Load.Outcome.error(e.getClass().getSimpleName());
                }
                if (measured) {
                    hist.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
                    completed.incrementAndGet();
                    if (!o.ok()) {
                        errors.incrementAndGet();
                    }
                    if (o.tag() != null) {
                        tags.computeIfAbsent(o.tag(), k -> new AtomicLong()).incrementAndGet();
                    }
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
        Result r = new Result();
        r.name = name;
        r.share = share;
        r.intendedRate = rate;
        r.seconds = window.toNanos() / 1e9;
        r.intended = intended;
        r.sentInWindow = sent.get();
        r.completed = completed.get();
        r.unfinished = intended - r.completed;
        r.errors = errors.get() + r.unfinished;
        r.hist.add(hist);
        tags.forEach((k, v) -> r.tags.put(k, v.get()));
        r.cpu = a == null ? null : Cpu.between(a, b);
        System.out.println("  " + r);
        if (r.cpu != null) {
            System.out.println("      cpu: " + r.cpu.describe());
        }
        return r;
    }
}
