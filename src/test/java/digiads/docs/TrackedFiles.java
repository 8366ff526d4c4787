package digiads.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The files git tracks in the repository (what a clone, and GitHub, shows), from {@code git ls-files}. */
final class TrackedFiles {

    private TrackedFiles() {
    }

    static Set<String> in(Path root) throws IOException {
        Process git = new ProcessBuilder("git", "ls-files", "-z").directory(root.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (git.waitFor() != 0) {
                throw new IOException("git ls-files failed in " + root);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new TreeSet<>(Arrays.stream(out.split("\0")).filter(s -> !s.isEmpty()).toList());
    }

    static List<String> markdown(Set<String> tracked) {
        return tracked.stream().filter(f -> f.endsWith(".md")).toList();
    }
}
