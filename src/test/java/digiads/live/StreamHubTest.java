package digiads.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The hub's promises without a server: replay after Last-Event-ID, read-again otherwise, the cap, slow clients. */
class StreamHubTest {

    /** A sink that keeps what it is sent; optionally it never gets anything through (a client that does not read). */
    static final class Recorder implements StreamHub.Sink {
        final List<String> lines = new ArrayList<>();
        boolean closed;
        boolean failing;

        @Override
        public void event(String id, String name, String data) throws IOException {
            if (failing) {
                throw new IOException("broken pipe");
            }
            lines.add(id + " " + name + " " + data);
        }

        @Override
        public void comment(String text) {
            lines.add(": " + text);
        }

        @Override
        public void close() {
            closed = true;
        }

        String lastId() {
            String last = lines.get(lines.size() - 1);
            return last.substring(0, last.indexOf(' '));
        }
    }

    /** Runs sends at once, on the caller's thread. */
    private final StreamHub hub = new StreamHub("epoch1", 3, 4, 8, Runnable::run);

    @Test
    void aStreamStartsWithReadyAndGetsOnlyItsImagesEvents() {
        Recorder sink = new Recorder();
        hub.open("a.jpg", null, sink);
        hub.publish("a.jpg", "image", "{1}");
        hub.publish("b.jpg", "image", "{2}");

        assertThat(sink.lines).containsExactly("epoch1-0 ready {\"resumed\":false}", "epoch1-1 image {1}");
    }

    @Test
    void aGalleryStreamGetsEveryImagesEvents() {
        Recorder sink = new Recorder();
        hub.open(null, null, sink);
        hub.publish("a.jpg", "image", "{1}");
        hub.publish("b.jpg", "image", "{2}");

        assertThat(sink.lines).containsExactly("epoch1-0 ready {\"resumed\":false}", "epoch1-1 image {1}",
                "epoch1-2 image {2}");
    }

    @Test
    void aReconnectWithItsLastEventIdGetsWhatItMissedThenReady() {
        Recorder first = new Recorder();
        StreamHub.Stream stream = hub.open("a.jpg", null, first).orElseThrow();
        hub.publish("a.jpg", "image", "{1}");
        String last = first.lastId();
        stream.close();
        hub.publish("a.jpg", "image", "{2}");
        hub.publish("b.jpg", "image", "{3}");
        hub.publish("a.jpg", "image", "{4}");

        Recorder again = new Recorder();
        hub.open("a.jpg", last, again);

        assertThat(again.lines).containsExactly("epoch1-2 image {2}", "epoch1-4 image {4}",
                "epoch1-4 ready {\"resumed\":true}");
    }

    @Test
    void anIdOfAnotherInstanceOrOneOlderThanTheReplayIsToldToReadAgain() {
        for (int i = 1; i <= 6; i++) {
            hub.publish("a.jpg", "image", "{" + i + "}");
        }
        for (String id : List.of("other-3", "epoch1-1", "epoch1-x", "epoch1-99", "epoch1")) {
            Recorder sink = new Recorder();
            hub.open("a.jpg", id, sink).orElseThrow().close();
            assertThat(sink.lines).as(id).containsExactly("epoch1-6 ready {\"resumed\":false}");
        }
        // the replay holds the last 4 (3..6): after 2, nothing was missed that it does not hold
        Recorder sink = new Recorder();
        hub.open("a.jpg", "epoch1-2", sink);
        assertThat(sink.lines).hasSize(5).last().isEqualTo("epoch1-6 ready {\"resumed\":true}");
    }

    @Test
    void overTheCapNoStreamOpensAndAClosedOneGivesItsPlaceBack() {
        List<StreamHub.Stream> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(hub.open(null, null, new Recorder()).orElseThrow());
        }
        assertThat(hub.open(null, null, new Recorder())).isEmpty();
        assertThat(hub.openStreams()).isEqualTo(3);

        open.get(0).close();
        open.get(0).close();

        assertThat(hub.openStreams()).isEqualTo(2);
        assertThat(hub.open(null, null, new Recorder())).isPresent();
    }

    @Test
    void aClientThatDoesNotKeepUpIsClosedAndOthersGoOn() {
        List<Runnable> pending = new ArrayList<>();
        StreamHub queued = new StreamHub("e", 10, 100, 3, pending::add);
        Recorder slow = new Recorder();
        Recorder fine = new Recorder();
        queued.open(null, null, slow);
        for (int i = 0; i < 5; i++) {
            queued.publish("a.jpg", "image", "{" + i + "}");
        }
        assertThat(slow.closed).isTrue();
        assertThat(queued.slowClientsDropped()).isEqualTo(1);
        assertThat(queued.openStreams()).isZero();

        queued.open(null, null, fine);
        queued.publish("a.jpg", "image", "{5}");
        pending.forEach(Runnable::run);
        assertThat(fine.lines).containsExactly("e-5 ready {\"resumed\":false}", "e-6 image {5}");
    }

    @Test
    void aStreamWhoseClientIsGoneIsClosedOnTheNextSend() {
        Recorder gone = new Recorder();
        hub.open(null, null, gone);
        gone.failing = true;
        hub.publish("a.jpg", "image", "{1}");
        assertThat(gone.closed).isTrue();
        assertThat(hub.openStreams()).isZero();
    }

    @Test
    void heartbeatsGoToIdleStreamsAsComments() {
        Recorder sink = new Recorder();
        hub.open(null, null, sink);
        hub.heartbeat();
        assertThat(sink.lines).last().isEqualTo(": heartbeat");
    }

    @Test
    void atShutdownEveryStreamEndsAndNoneOpens() {
        Recorder sink = new Recorder();
        hub.open(null, null, sink);
        hub.shutdown();
        assertThat(sink.closed).isTrue();
        assertThat(hub.open(null, null, new Recorder())).isEqualTo(Optional.empty());
        assertThat(hub.openStreams()).isZero();
    }
}
