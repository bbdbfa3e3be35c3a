package io.promgate.tsdb.objstore;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * s3proxy with its filesystem backend, run as a child JVM from the one-jar that Maven copies to
 * {@code target/s3proxy/s3proxy.jar} (system property {@code promgate.s3proxy.jar}): s3proxy 4 is built on
 * Jackson 3 and Jetty 12, which must not share a classpath with ours. Skips when the jar is missing,
 * fails when PROMGATE_REQUIRE_EXTERNAL=1.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS = "promgate-access";
  public static final String SECRET = "promgate-secret";

  private final Process process;
  public final String endpoint;

  private S3ProxyServer(Process process, String endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  public static S3ProxyServer start(Path dir) throws Exception {
    String jar = System.getProperty("promgate.s3proxy.jar", "target/s3proxy/s3proxy.jar");
    if (!Files.exists(Path.of(jar))) {
      if ("1".equals(System.getenv("PROMGATE_REQUIRE_EXTERNAL"))) {
        throw new IOException("s3proxy jar " + jar + " missing but PROMGATE_REQUIRE_EXTERNAL=1");
      }
      assumeTrue(false, "s3proxy jar " + jar + " missing: skipping");
    }
    int port;
    try (ServerSocket ss = new ServerSocket(0)) {
      port = ss.getLocalPort();
    }
    Path data = Files.createDirectories(dir.resolve("s3data"));
    Path conf = dir.resolve("s3proxy.conf");
    Files.writeString(conf, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS,
        "s3proxy.credential=" + SECRET,
        "jclouds.provider=filesystem-nio2",
        "jclouds.filesystem.basedir=" + data, ""));
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-XX:TieredStopAtLevel=1", "-jar", jar, "--properties", conf.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("s3proxy exited: " + Files.readString(dir.resolve("s3proxy.log")));
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return new S3ProxyServer(p, "http://127.0.0.1:" + port);
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    p.destroyForcibly();
    throw new IOException("s3proxy did not listen within 60 s");
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
