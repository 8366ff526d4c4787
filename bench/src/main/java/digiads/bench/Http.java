package digiads.bench;

import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Blocking HTTP/1.1 with keep-alive (HttpURLConnection): one call per client thread at a time. */
final class Http {

    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private Http() {
    }

    static Response get(String url, Map<String, String> headers, int connectMillis, int readMillis) throws IOException {
        return call("GET", url, headers, null, connectMillis, readMillis);
    }

    static Response call(String method, String url, Map<String, String> headers, String body, int connectMillis,
                         int readMillis) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(connectMillis);
        c.setReadTimeout(readMillis);
        c.setUseCaches(false);
        headers.forEach(c::setRequestProperty);
        if (body != null) {
            c.setDoOutput(true);
            if (!headers.containsKey("Content-Type")) {
                c.setRequestProperty("Content-Type", "application/json");
            }
            try (OutputStream out = c.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
        if (in != null) {
            in.close();
        }
        return new Response(status, bytes);
    }

    static boolean answers(String url) {
        try {
            return get(url, Map.of(), 500, 2000).status() == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
