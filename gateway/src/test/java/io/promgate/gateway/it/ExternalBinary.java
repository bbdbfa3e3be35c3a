package io.promgate.gateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds an external program for integration tests. Missing → the test is skipped with a message, except
 * when {@code PROMGATE_REQUIRE_EXTERNAL=1} (CI): then it fails, so a broken install cannot pass silently.
 */
public final class ExternalBinary {
  private ExternalBinary() {}

  public static boolean required() {
    return "1".equals(System.getenv("PROMGATE_REQUIRE_EXTERNAL"));
  }

  public static Optional<Path> find(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    Path usr = Path.of("/usr/bin", name);
    return Files.isExecutable(usr) ? Optional.of(usr) : Optional.empty();
  }

  /** The program's path; skips (or fails under PROMGATE_REQUIRE_EXTERNAL=1) when it is not installed. */
  public static Path require(String name) {
    Optional<Path> p = find(name);
    if (p.isEmpty()) {
      String msg = name + " is not installed (apt-get install it, or run .ci/run)";
      if (required()) {
        throw new AssertionError(msg + "; PROMGATE_REQUIRE_EXTERNAL=1 forbids skipping");
      }
      Assumptions.abort("skipped: " + msg);
    }
    return p.get();
  }
}
