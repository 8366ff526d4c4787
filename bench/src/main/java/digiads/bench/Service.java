package digiads.bench;

import java.io.IOException;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;
import java.util.stream.Stream;

/**
 * An emulator on a free local port, registered to be stopped: moto (.venv-moto); dynalite (npm; range-read Query and
 * writes that copy nothing, unlike moto's); the Rekognition stand-in, WireMock answering DetectModerationLabels and
 * proxying the rest to moto, its journal bounded so that the suite can count the moderation calls ({@link AwsCalls}).
 */
record Service(Proc proc, int port) {

    String url() {
        return "http://127.0.0.1:" + port;
    }

    static Service moto(Config cfg, List<Proc> registry) {
        Path exe = cfg.repo.resolve(".venv-moto/bin/moto_server");
        if (!Files.isExecutable(exe)) {
            throw new IllegalStateException("no moto server at " + exe + " (bench/run.sh installs it)");
        }
        int port = Proc.freePort();
        return start(registry, Proc.start("moto", List.of(exe.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)),
                cfg.work, cfg.work.resolve("logs/moto.log"), Map.of("MOTO_RECORDER_FILEPATH", motoRecording(cfg).toString())),
                port, "/moto-api/");
    }

    /** Where moto's request recorder writes (recording is off until the suite starts it: {@link AwsCalls}). */
    static Path motoRecording(Config cfg) {
        return cfg.work.resolve("logs/moto-recording.jsonl");
    }

    /** dynalite, its LevelDB store emptied first. */
    static Service dynalite(Config cfg, List<Proc> registry) {
        Path cli = cfg.repo.resolve("bench/target/dynalite/node_modules/dynalite/cli.js");
        if (!Files.isRegularFile(cli)) {
            throw new IllegalStateException("no dynalite at " + cli + " (bench/run.sh installs it with npm)");
        }
        Path store = cfg.work.resolve("dynalite-db");
        if (Files.exists(store)) {
            try (Stream<Path> all = Files.walk(store)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        int port = Proc.freePort();
        return start(registry, Proc.start("dynalite", List.of("node", cli.toString(), "--host", "127.0.0.1", "--port",
                        Integer.toString(port), "--path", store.toString(), "--createTableMs", "0"),
                cfg.work, cfg.work.resolve("logs/dynalite.log"), Map.of()), port, null);
    }

    /** The installed dynalite's version, from its package.json ("?" when unreadable). */
    static String dynaliteVersion(Config cfg) {
        try {
            return Clients.JSON.readTree(cfg.repo.resolve("bench/target/dynalite/node_modules/dynalite/package.json")
                    .toFile()).path("version").asText("?");
        } catch (IOException e) {
            return "?";
        }
    }

    /** The app's Rekognition endpoint ({@code digiads.aws.rekognition-endpoint-override}) in front of moto. */
    static Service rekognition(Config cfg, Service moto, List<Proc> registry) {
        int port = Proc.freePort();
        return start(registry, Proc.start("rekognition", List.of(Proc.java(), "-Xmx256m", "-jar", wiremockJar().toString(),
                "--port", Integer.toString(port), "--bind-address", "127.0.0.1",
                "--root-dir", cfg.repo.resolve("src/test/resources/rekognition").toString(), "--proxy-all", moto.url(),
                "--container-threads", "200", "--jetty-acceptor-threads", "2",
                // a bounded journal: the suite counts the DetectModerationLabels calls it answered (AwsCalls)
                "--max-request-journal-entries", "50000", "--disable-banner"),
                cfg.work.resolve("logs"), cfg.work.resolve("logs/rekognition.log"), Map.of()), port, "/__admin/health");
    }

    static Path wiremockJar() {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.contains("wiremock-standalone")) {
                return Path.of(entry);
            }
        }
        throw new IllegalStateException("wiremock-standalone is not on the classpath");
    }

    /** Registers the process and waits until it answers 200 on the path (or, without one, takes connections). */
    private static Service start(List<Proc> registry, Proc proc, int port, String health) {
        registry.add(proc);
        Service service = new Service(proc, port);
        proc.await(Duration.ofSeconds(60), () -> health == null ? Proc.listening(port) : Http.answers(service.url() + health));
        return service;
    }
}
