package digiads.aws;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;

/**
 * Group commit of one AWS batch operation (SQS SendMessageBatch, DeleteMessageBatch; SNS PublishBatch):
 * a request is sent at once when no call is in flight, so nothing ever waits for a batch to fill; while a
 * call is in flight, the requests that come meanwhile are collected and go as one batch (up to
 * {@link #MAX_ENTRIES}, the services' limit, and {@code maxBatchBytes}) as soon as it returns. Under
 * load a call carries what arrived during the last one; when idle, every request is its own call.
 *
 * <p>Each request has its own outcome: the batch operations answer per entry, and an entry that failed
 * (or that the answer does not name) fails its request's future alone; a call that fails as a whole
 * fails each of its requests. {@link #close()} sends what is waiting and waits for it before it returns.
 *
 * @param <T> what one request sends (a message body, a receipt handle)
 */
public final class GroupCommit<T> implements AutoCloseable {

    /** Entries a batch call of SQS and SNS takes at most. */
    public static final int MAX_ENTRIES = 10;

    /** One batch call: sends the entries (keyed by their id within the batch) and answers per entry. */
    @FunctionalInterface
    public interface BatchCall<T> {
        Outcome send(Map<String, T> entries);
    }

    /** A batch call's answer: the ids that succeeded, and those that failed with why. */
    public record Outcome(Set<String> succeeded, Map<String, String> failed) {
    }

    /** Why one request failed: its entry was refused, or the batch call failed. */
    public static final class EntryFailedException extends RuntimeException {
        public EntryFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Request<T>(T entry, CompletableFuture<Void> done) {
    }

    private final String name;
    private final BatchCall<T> call;
    private final ToIntFunction<T> bytes;
    private final int maxBatchBytes;
    private final Executor executor;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final ArrayDeque<Request<T>> waiting = new ArrayDeque<>();
    private boolean inFlight;
    private boolean closed;

    /**
     * @param name          for messages (the queue or topic)
     * @param call          the batch call
     * @param bytes         what an entry weighs towards {@code maxBatchBytes}
     * @param maxBatchBytes the most a batch may weigh (an entry heavier than this alone goes alone)
     * @param executor      where calls run (one at a time)
     */
    public GroupCommit(String name, BatchCall<T> call, ToIntFunction<T> bytes, int maxBatchBytes, Executor executor) {
        this.name = name;
        this.call = call;
        this.bytes = bytes;
        this.maxBatchBytes = maxBatchBytes;
        this.executor = executor;
    }

    /** Sends the entry: at once when no call is in flight, else with the next batch. */
    public CompletableFuture<Void> submit(T entry) {
        Request<T> request = new Request<>(entry, new CompletableFuture<>());
        List<Request<T>> batch;
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException(name + ": closed"));
            }
            waiting.add(request);
            batch = nextBatch();
        } finally {
            lock.unlock();
        }
        if (batch != null) {
            start(batch);
        }
        return request.done();
    }

    /** Requests waiting for the call in flight to return. */
    public int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #close} was called: no more requests are taken. */
    public boolean closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held: the next batch to send, if none is in flight and any request waits (then one is). */
    private List<Request<T>> nextBatch() {
        if (inFlight || waiting.isEmpty()) {
            return null;
        }
        List<Request<T>> batch = new ArrayList<>();
        int weight = 0;
        while (!waiting.isEmpty() && batch.size() < MAX_ENTRIES) {
            int next = bytes.applyAsInt(waiting.peek().entry());
            if (!batch.isEmpty() && weight + next > maxBatchBytes) {
                break;
            }
            weight += next;
            batch.add(waiting.poll());
        }
        inFlight = true;
        return batch;
    }

    private void start(List<Request<T>> batch) {
        try {
            executor.execute(() -> run(batch));
        } catch (RuntimeException e) {
            fail(batch, e);
            lock.lock();
            try {
                inFlight = false;
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Sends batches until none waits: each request's future is completed before the next call. */
    private void run(List<Request<T>> first) {
        List<Request<T>> batch = first;
        while (batch != null) {
            send(batch);
            lock.lock();
            try {
                inFlight = false;
                batch = nextBatch();
                if (batch == null) {
                    idle.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void send(List<Request<T>> batch) {
        Map<String, T> entries = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            entries.put(Integer.toString(i), batch.get(i).entry());
        }
        Outcome outcome;
        try {
            outcome = call.send(entries);
        } catch (RuntimeException e) {
            fail(batch, e);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            String id = Integer.toString(i);
            CompletableFuture<Void> done = batch.get(i).done();
            if (outcome.failed().containsKey(id)) {
                done.completeExceptionally(new EntryFailedException(name + ": " + outcome.failed().get(id), null));
            } else if (outcome.succeeded().contains(id)) {
                done.complete(null);
            } else {
                done.completeExceptionally(new EntryFailedException(name + ": no answer for the entry", null));
            }
        }
    }

    private void fail(List<Request<T>> batch, RuntimeException cause) {
        for (Request<T> request : batch) {
            request.done().completeExceptionally(
                    new EntryFailedException(name + ": the batch call failed: " + cause.getMessage(), cause));
        }
    }

    /** Takes no more requests, and waits (at most {@code timeout}) until what waits has been sent. */
    public boolean close(Duration timeout) {
        lock.lock();
        try {
            closed = true;
            long nanos = timeout.toNanos();
            while ((inFlight || !waiting.isEmpty()) && nanos > 0) {
                nanos = idle.awaitNanos(nanos);
            }
            return !inFlight && waiting.isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        close(Duration.ofMinutes(1));
    }
}
