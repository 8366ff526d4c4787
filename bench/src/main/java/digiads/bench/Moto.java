package digiads.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** moto from the project's venv (.venv-moto, which bench/run.sh installs) on a free local port. */
final class Moto {

    final Proc proc;
    final int port;

    private Moto(Proc proc, int port) {
        this.proc = proc;
        this.port = port;
    }

    static Moto start(Config cfg, List<Proc> registry) {
        Path exe = cfg.repo.resolve(".venv-moto/bin/moto_server");
        if (!Files.isExecutable(exe)) {
            throw new IllegalStateException("no moto server at " + exe + " (bench/run.sh installs it)");
        }
        int port = Proc.freePort();
        Proc proc = Proc.start("moto", List.of(exe.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)),
                cfg.work, cfg.work.resolve("logs/moto.log"), Map.of("MOTO_RECORDER_FILEPATH", recording(cfg).toString()));
        registry.add(proc);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Http.answers("http://127.0.0.1:" + port + "/moto-api/")) {
            if (!proc.alive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("moto did not start:\n" + proc.tail(30));
            }
            Proc.sleep(100);
        }
        return new Moto(proc, port);
    }

    /** Where moto's request recorder writes (recording is off until the suite starts it: {@link AwsCalls}). */
    static Path recording(Config cfg) {
        return cfg.work.resolve("logs/moto-recording.jsonl");
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }
}
