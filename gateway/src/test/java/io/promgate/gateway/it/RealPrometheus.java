package io.promgate.gateway.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Prometheus (the Debian binary) for integration tests: free port, temporary TSDB, remote-write
 * receiver on, no scraping unless the given config asks. Use with try-with-resources or close in
 * {@code @AfterAll}. Skips when prometheus is absent, fails instead under PROMGATE_REQUIRE_EXTERNAL=1.
 *
 * <pre>{@code
 * try (RealPrometheus p = RealPrometheus.start("global: { external_labels: { replica: a } }")) {
 *   p.remoteWrite(new RemoteWrite().add(series));
 *   ... p.url() ...
 * }
 * }</pre>
 */
public final class RealPrometheus implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final Path dir;
  private final int port;
  /** Sent with readiness probes and remote writes when the server is behind basic auth; null otherwise. */
  private String authorization;

  private RealPrometheus(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** Starts with an empty config. */
  public static RealPrometheus start() throws Exception {
    return start("", List.of());
  }

  /**
   * Starts with {@code configYaml} as prometheus.yml (e.g. external labels; {@code ${port}} is replaced by
   * the port Prometheus listens on) and extra flags.
   */
  public static RealPrometheus start(String configYaml, List<String> extraArgs) throws Exception {
    return start(configYaml, extraArgs, null);
  }

  /**
   * Starts behind HTTP basic auth ({@code --web.config.file} with a bcrypt hash of {@code password}): every
   * endpoint, readiness and remote write included, then needs the credentials; this instance sends them.
   */
  public static RealPrometheus startWithBasicAuth(String user, String password) throws Exception {
    Path web = Files.createTempFile("promgate-it-web", ".yml");
    String hash = at.favre.lib.crypto.bcrypt.BCrypt.withDefaults().hashToString(4, password.toCharArray());
    Files.writeString(web, "basic_auth_users:\n  " + user + ": '" + hash + "'\n");
    String authorization = "Basic " + java.util.Base64.getEncoder().encodeToString(
        (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return start("", List.of("--web.config.file=" + web), authorization);
  }

  private static RealPrometheus start(String configYaml, List<String> extraArgs, String authorization)
      throws Exception {
    Path binary = ExternalBinary.require("prometheus");
    Exception last = null;
    for (int attempt = 0; attempt < 3; attempt++) { // the free port can be taken between probe and bind
      Path dir = Files.createTempDirectory("promgate-it-prometheus");
      int port = freePort();
      // "${port}" in the config is Prometheus' own port (e.g. to scrape itself).
      Files.writeString(dir.resolve("prometheus.yml"), configYaml.isBlank() ? "global: {}\n"
          : configYaml.replace("${port}", Integer.toString(port)));
      List<String> cmd = new ArrayList<>(List.of(binary.toString(),
          "--config.file=" + dir.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port,
          "--web.enable-remote-write-receiver",
          "--log.level=warn"));
      cmd.addAll(extraArgs);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
      RealPrometheus rp = new RealPrometheus(p, dir, port);
      rp.authorization = authorization;
      try {
        rp.awaitReady(Duration.ofSeconds(30));
        return rp;
      } catch (Exception e) {
        last = new IOException("prometheus did not start: " + rp.log(), e);
        rp.close();
      }
    }
    throw last;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public Path directory() {
    return dir;
  }

  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("prometheus exited with " + process.exitValue());
      }
      try {
        HttpRequest.Builder ready = HttpRequest.newBuilder(URI.create(url() + "/-/ready"));
        if (authorization != null) {
          ready.header("Authorization", authorization);
        }
        var r = HTTP.send(ready.build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IOException("prometheus not ready after " + timeout);
  }

  /** Sends one remote-write request; throws unless Prometheus answers 2xx. */
  public void remoteWrite(RemoteWrite request) throws Exception {
    remoteWrite(url() + "/api/v1/write", request, authorization);
  }

  /** Sends one remote-write request to any receiver URL; throws unless it answers 2xx. */
  public static void remoteWrite(String writeUrl, RemoteWrite request) throws Exception {
    remoteWrite(writeUrl, request, null);
  }

  private static void remoteWrite(String writeUrl, RemoteWrite request, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(writeUrl));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    var r = HTTP.send(b
        .header("Content-Type", "application/x-protobuf")
        .header("Content-Encoding", "snappy")
        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(request.snappyBody())).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException("remote write answered " + r.statusCode() + ": " + r.body());
    }
  }

  public String log() {
    try {
      return Files.readString(dir.resolve("prometheus.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir left behind is harmless
    }
  }
}
