package digiads.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An AWS endpoint that hangs: a local socket that accepts every connection and never answers, never
 * closes, never reads. A client without time limits of its own waits on it until its socket timeout.
 */
public final class HungEndpoint implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    private HungEndpoint(ServerSocket server) {
        this.server = server;
        Thread acceptor = new Thread(this::accept, "hung-endpoint-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static HungEndpoint start() {
        try {
            return new HungEndpoint(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Connections accepted so far (and held open, unanswered). */
    public int connections() {
        return accepted.size();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                accepted.add(server.accept());
            } catch (IOException e) {
                // closed
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket socket : accepted) {
                socket.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
