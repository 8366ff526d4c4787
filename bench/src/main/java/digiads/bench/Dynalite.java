package digiads.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * dynalite (npm, which bench/run.sh installs into bench/target/dynalite) on a free local port, its LevelDB
 * store emptied first: a DynamoDB-compatible server whose Query is a range read and whose writes do not
 * copy the table (moto's Query reads and sorts the whole table, and its TransactWriteItems deep-copies
 * each table it touches once per action, so both slow down as the table grows).
 */
record Dynalite(Proc proc, int port) {

    static Dynalite start(Config cfg, List<Proc> registry) {
        Path cli = cfg.repo.resolve("bench/target/dynalite/node_modules/dynalite/cli.js");
        if (!Files.isRegularFile(cli)) {
            throw new IllegalStateException("no dynalite at " + cli + " (bench/run.sh installs it with npm)");
        }
        Path store = cfg.work.resolve("dynalite-db");
        deleteTree(store);
        int port = Proc.freePort();
        Proc proc = Proc.start("dynalite", List.of("node", cli.toString(), "--host", "127.0.0.1", "--port",
                        Integer.toString(port), "--path", store.toString(), "--createTableMs", "0"),
                cfg.work, cfg.work.resolve("logs/dynalite.log"), Map.of());
        registry.add(proc);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!listening(port)) {
            if (!proc.alive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("dynalite did not start:\n" + proc.tail(30));
            }
            Proc.sleep(100);
        }
        return new Dynalite(proc, port);
    }

    /** The installed version, from its package.json ("?" when unreadable). */
    static String version(Config cfg) {
        try {
            return Clients.JSON.readTree(cfg.repo.resolve("bench/target/dynalite/node_modules/dynalite/package.json")
                    .toFile()).path("version").asText("?");
        } catch (IOException e) {
            return "?";
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
