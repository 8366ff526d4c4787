package digiads.live;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open event streams of this instance and the recent events they may resume from.
 *
 * <p>Every event gets an id {@code <epoch>-<n>}: the epoch names this hub (a new one at every start),
 * {@code n} counts its events. A stream that reconnects with {@code Last-Event-ID} gets the events
 * it missed if this hub still holds them all (the last {@code replay}); otherwise — an id of another
 * instance or an earlier start, or too long away — it is told to read the current state again. Either
 * way the first event of a stream is {@code ready}, with {@code resumed} true or false, sent after the
 * stream is registered: what a client reads once it has {@code ready} cannot miss a change.
 *
 * <p>Sending never blocks a publisher: each stream has a bounded backlog, drained on the send
 * executor one event at a time; a stream whose backlog is full (a client that does not read) is
 * closed, and its browser reconnects and resumes. At most {@code maxOpen} streams are open at once.
 */
public final class StreamHub {

    private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);

    /** Where a stream's lines go: an SSE response. */
    public interface Sink {
        /** One event: {@code id:}, {@code event:} and {@code data:} lines. */
        void event(String id, String name, String data) throws IOException;

        /** A comment line (a heartbeat). */
        void comment(String text) throws IOException;

        /** Ends the response. */
        void close();
    }

    /** An event with its sequence number, for whom it is. */
    private record Event(long seq, String imageId, String name, String data) {
    }

    private final String epoch;
    private final int maxOpen;
    private final int replay;
    private final int backlog;
    private final Executor sender;
    private final Deque<Event> recent = new ArrayDeque<>();
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private long seq;
    private volatile boolean shuttingDown;

    public StreamHub(String epoch, int maxOpen, int replay, int backlog, Executor sender) {
        this.epoch = epoch;
        this.maxOpen = maxOpen;
        this.replay = replay;
        this.backlog = backlog;
        this.sender = sender;
    }

    /**
     * Opens a stream of one image's events ({@code imageId}) or of all ({@code null}), resuming after
     * {@code lastEventId} when it can; empty when {@code maxOpen} streams are open already.
     */
    public Optional<Stream> open(String imageId, String lastEventId, Sink sink) {
        if (shuttingDown || open.incrementAndGet() > maxOpen) {
            if (shuttingDown) {
                return Optional.empty();
            }
            open.decrementAndGet();
            return Optional.empty();
        }
        Stream stream = new Stream(imageId, sink);
        synchronized (this) {
            long after = resumePoint(lastEventId);
            boolean resumed = after >= 0;
            if (resumed) {
                for (Event event : recent) {
                    if (event.seq() > after && stream.wants(event)) {
                        stream.offer(event);
                    }
                }
            }
            stream.offer(new Event(seq, null, "ready", "{\"resumed\":" + resumed + "}"));
            streams.add(stream);
        }
        return Optional.of(stream);
    }

    /**
     * The sequence number a stream resumes after, or -1 when it must read the state again: no id, an
     * id of another hub, or one older than every event this hub still holds (it missed some).
     */
    private long resumePoint(String lastEventId) {
        if (lastEventId == null || !lastEventId.startsWith(epoch + "-")) {
            return -1;
        }
        long last;
        try {
            last = Long.parseLong(lastEventId.substring(epoch.length() + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
        long oldestKept = recent.isEmpty() ? seq + 1 : recent.peekFirst().seq();
        return last > seq || last < oldestKept - 1 ? -1 : last;
    }

    /** Sends an image's event to every stream that wants it, and keeps it for resuming streams. */
    public void publish(String imageId, String name, String data) {
        synchronized (this) {
            Event event = new Event(++seq, imageId, name, data);
            recent.addLast(event);
            if (recent.size() > replay) {
                recent.removeFirst();
            }
            for (Stream stream : streams) {
                if (stream.wants(event)) {
                    stream.offer(event);
                }
            }
        }
    }

    /** A comment on every open stream: keeps proxies from closing idle connections, and finds dead clients. */
    public void heartbeat() {
        for (Stream stream : streams) {
            stream.offerHeartbeat();
        }
    }

    /** Closes every stream and opens no more (shutdown): browsers reconnect to another instance. */
    public void shutdown() {
        shuttingDown = true;
        for (Stream stream : streams) {
            stream.close();
        }
    }

    public int openStreams() {
        return open.get();
    }

    /** Streams closed because their client did not keep up. */
    public int slowClientsDropped() {
        return dropped.get();
    }

    private String id(long n) {
        return epoch + "-" + n;
    }

    /** One open stream. */
    public final class Stream {

        private static final Event HEARTBEAT = new Event(-1, null, null, null);

        private final String imageId;
        private final Sink sink;
        private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(backlog);
        private final AtomicBoolean draining = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();

        private Stream(String imageId, Sink sink) {
            this.imageId = imageId;
            this.sink = sink;
        }

        private boolean wants(Event event) {
            return imageId == null || imageId.equals(event.imageId());
        }

        private void offer(Event event) {
            if (!queue.offer(event)) {
                dropped.incrementAndGet();
                LOG.debug("closing a stream whose client does not keep up ({} events waiting)", backlog);
                close();
                return;
            }
            drain();
        }

        private void offerHeartbeat() {
            if (queue.isEmpty()) {
                offer(HEARTBEAT);
            }
        }

        private void drain() {
            if (closed.get() || !draining.compareAndSet(false, true)) {
                return;
            }
            sender.execute(() -> {
                try {
                    Event event;
                    while (!closed.get() && (event = queue.poll()) != null) {
                        if (event == HEARTBEAT) {
                            sink.comment("heartbeat");
                        } else {
                            sink.event(id(event.seq()), event.name(), event.data());
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.debug("a stream's client went away: {}", e.toString());
                    close();
                } finally {
                    draining.set(false);
                }
                if (!queue.isEmpty()) {
                    drain();
                }
            });
        }

        /** Ends this stream (idempotent) and frees its place. */
        public void close() {
            if (closed.compareAndSet(false, true)) {
                streams.remove(this);
                open.decrementAndGet();
                queue.clear();
                sink.close();
            }
        }
    }

    /** The streams' settings as a hub, with the given send executor. */
    public static StreamHub of(String epoch, LiveProperties.Streams settings, Executor sender) {
        return new StreamHub(epoch, settings.maxOpen(), settings.replay(), settings.backlog(), sender);
    }

}
