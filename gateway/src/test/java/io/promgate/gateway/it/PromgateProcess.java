package io.promgate.gateway.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged {@code promgate.jar} as a child process ({@code java -jar promgate.jar run ...}) on free
 * ports, for tests that need a real process boundary (kill -9, restart). The jar is built by
 * {@code package}, before failsafe runs; its output goes to a log file shown when start-up fails.
 */
public final class PromgateProcess implements AutoCloseable {
  private final Process process;
  private final int httpPort;
  private final int grpcPort;
  private final Path log;

  private PromgateProcess(Process process, int httpPort, int grpcPort, Path log) {
    this.process = process;
    this.httpPort = httpPort;
    this.grpcPort = grpcPort;
    this.log = log;
  }

  public static Path jar() {
    Path jar = Path.of("target/promgate.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new AssertionError(jar + " is missing: run mvn package (verify builds it before integration tests)");
    }
    return jar;
  }

  /** Starts {@code promgate run} with {@code args} plus free {@code --listen}/{@code --grpc-listen} ports. */
  public static PromgateProcess start(Path workDir, List<String> args) throws Exception {
    return start(workDir, List.of(), args);
  }

  /** As {@link #start(Path, List)}, with JVM options (e.g. {@code -Dpromgate.storage.maintenanceMillis=200}). */
  public static PromgateProcess start(Path workDir, List<String> jvmArgs, List<String> args) throws Exception {
    int http = RealPrometheus.freePort();
    int grpc = RealPrometheus.freePort();
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m"));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-jar", jar().toString(), "run", "--listen", "127.0.0.1:" + http,
        "--grpc-listen", "127.0.0.1:" + grpc));
    cmd.addAll(args);
    Path log = Files.createTempFile(workDir, "promgate", ".log");
    Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
    PromgateProcess pp = new PromgateProcess(p, http, grpc, log);
    // Copy output to the log while waiting for the start-up line; keep draining afterwards.
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    StringBuilder seen = new StringBuilder();
    while ((line = out.readLine()) != null) {
      seen.append(line).append('\n');
      if (line.contains("listening on http://")) {
        break;
      }
    }
    Files.writeString(log, seen);
    if (line == null) {
      p.waitFor(5, TimeUnit.SECONDS);
      throw new IOException("promgate did not start:\n" + seen);
    }
    Thread drain = new Thread(() -> {
      try (out) {
        String l;
        while ((l = out.readLine()) != null) {
          Files.writeString(log, l + "\n", java.nio.file.StandardOpenOption.APPEND);
        }
      } catch (IOException ignored) {
        // process gone
      }
    }, "promgate-log");
    drain.setDaemon(true);
    drain.start();
    return pp;
  }

  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  public int grpcPort() {
    return grpcPort;
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** SIGKILL: no shutdown hook, no flush, no close; what a power cut or OOM killer leaves behind. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
