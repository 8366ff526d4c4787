package digiads.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/1.1 over a plain socket, for what Java's HttpClient will not send: a Content-Length of one's
 * choosing (a lying one), a chunked body that keeps coming, {@code Expect: 100-continue} without
 * waiting. Like a real client it reads the answer while it is still sending the body, so an answer
 * given before the body is done (413, 401) is seen, and the answer says whether the whole body had
 * been sent by then.
 */
final class RawHttp {

    private static final int SOCKET_TIMEOUT_MILLIS = 30_000;
    private static final int CHUNK = 64 * 1024;

    /** What is sent as the body. */
    sealed interface Body permits Chunked, Declared {
    }

    /** {@code bytes} bytes in chunks of 64 KB, their values from {@link #byteAt}. */
    record Chunked(long bytes) implements Body {
    }

    /** A {@code Content-Length} header of {@code declared}, and then exactly {@code sent} as the body. */
    record Declared(long declared, byte[] sent) implements Body {
    }

    /**
     * The answer: its status (the first final one; {@code interim} holds any 1xx before it), headers
     * (lower-case names), body (none is read of an event stream), and whether the whole request body
     * had been sent when it arrived.
     */
    record Answer(int status, List<Integer> interim, Map<String, String> headers, String body,
                  boolean bodyFullySent, long bytesSent) {
    }

    private RawHttp() {
    }

    /** The byte at a position of a {@link Chunked} body: a repeating pattern, so what was stored can be compared. */
    static byte byteAt(long position) {
        return (byte) (position * 31 + (position >>> 16));
    }

    /** The first {@code length} bytes of a {@link Chunked} body. */
    static byte[] chunkedBytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = byteAt(i);
        }
        return bytes;
    }

    static Answer send(int port, String method, String path, Map<String, String> headers, Body body) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body instanceof Chunked) {
                head.append("Transfer-Encoding: chunked\r\n");
            } else if (body instanceof Declared declared) {
                head.append("Content-Length: ").append(declared.declared()).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();

            AtomicLong sent = new AtomicLong();
            AtomicBoolean fullySent = new AtomicBoolean();
            Thread sender = new Thread(() -> sendBody(out, body, sent, fullySent), "raw-http-body");
            sender.setDaemon(true);
            sender.start();

            InputStream in = socket.getInputStream();
            List<Integer> interim = new ArrayList<>();
            int status;
            Map<String, String> responseHeaders;
            while (true) {
                String statusLine = line(in);
                String[] parts = statusLine.split(" ", 3);
                status = Integer.parseInt(parts[1]);
                responseHeaders = headers(in);
                if (status >= 200) {
                    break;
                }
                interim.add(status);
            }
            boolean bodyFullySentOnAnswer = fullySent.get();
            long bytesSentOnAnswer = sent.get();
            String responseBody = new String(body(in, responseHeaders), StandardCharsets.UTF_8);
            try {
                socket.shutdownOutput(); // ends a body still being sent
            } catch (IOException alreadyClosed) {
                // the server closed the connection
            }
            sender.join(SOCKET_TIMEOUT_MILLIS);
            return new Answer(status, interim, responseHeaders, responseBody, bodyFullySentOnAnswer, bytesSentOnAnswer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends the body until it is done or the server stops taking it (closes or resets the connection). */
    private static void sendBody(OutputStream out, Body body, AtomicLong sent, AtomicBoolean fullySent) {
        try {
            if (body instanceof Chunked chunked) {
                byte[] chunk = new byte[CHUNK];
                long position = 0;
                while (position < chunked.bytes()) {
                    int n = (int) Math.min(CHUNK, chunked.bytes() - position);
                    for (int i = 0; i < n; i++) {
                        chunk[i] = byteAt(position + i);
                    }
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(chunk, 0, n);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    position += n;
                    sent.set(position);
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            } else if (body instanceof Declared declared) {
                out.write(declared.sent());
                sent.set(declared.sent().length);
            }
            out.flush();
            fullySent.set(true);
        } catch (IOException e) {
            // the server answered and closed the connection before the body was done
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b == -1 && line.size() == 0) {
            throw new IOException("the connection ended before an answer");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return headers;
    }

    private static byte[] body(InputStream in, Map<String, String> headers) throws IOException {
        if (headers.getOrDefault("content-type", "").startsWith("text/event-stream")) {
            return new byte[0]; // an event stream does not end: its status and headers are the answer
        }
        if (headers.containsKey("content-length")) {
            return in.readNBytes(Integer.parseInt(headers.get("content-length")));
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            return body.toByteArray();
        }
        return in.readAllBytes();
    }
}
