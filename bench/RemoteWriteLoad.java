import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.xerial.snappy.Snappy;

/**
 * Remote-write load generator for bench/ingest-vs-prometheus.sh (run with the source launcher:
 * {@code java -cp snappy-java.jar RemoteWriteLoad.java URL SERIES SAMPLES SENDERS BATCH [BASE_MS]}).
 *
 * <p>Pre-encodes every request first (snappy + hand-encoded prometheus.WriteRequest, so it depends on
 * nothing of promgate), then sends them with SENDERS threads. A request carries BATCH series with one
 * sample each; sender k owns the series batches k, k+SENDERS, ... and sends them round by round, so every
 * series receives its samples in time order whatever the concurrency. Series look like node-exporter and
 * API metrics: 6-7 labels, shared names and values, unique instance/cpu/path combinations.
 * Prints: {@code samples_per_second: X}, {@code requests: N}, {@code errors: E}, {@code seconds: S}.
 */
public class RemoteWriteLoad {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    int series = Integer.parseInt(args[1]);
    int samples = Integer.parseInt(args[2]);
    int senders = Integer.parseInt(args[3]);
    int batch = Integer.parseInt(args[4]);
    // Optional BASE_MS: the first sample's timestamp (the bytes-per-sample phase aligns data to a block).
    long base = args.length > 5 ? Long.parseLong(args[5])
        : (System.currentTimeMillis() - samples * 15_000L - 60_000) / 1000 * 1000;

    String[][] labels = new String[series][];
    for (int i = 0; i < series; i++) {
      labels[i] = labels(i);
    }
    int batches = (series + batch - 1) / batch;
    byte[][][] requests = new byte[batches][samples][];
    long t0 = System.nanoTime();
    for (int b = 0; b < batches; b++) {
      for (int r = 0; r < samples; r++) {
        ByteArrayOutputStream req = new ByteArrayOutputStream(batch * 200);
        for (int i = b * batch; i < Math.min(series, (b + 1) * batch); i++) {
          ByteArrayOutputStream ts = new ByteArrayOutputStream(256);
          for (int l = 0; l < labels[i].length; l += 2) {
            ByteArrayOutputStream lab = new ByteArrayOutputStream(64);
            string(lab, 1, labels[i][l]);
            string(lab, 2, labels[i][l + 1]);
            message(ts, 1, lab.toByteArray());
          }
          ByteArrayOutputStream s = new ByteArrayOutputStream(16);
          s.write(0x09); // field 1, fixed64: value
          long bits = Double.doubleToLongBits(value(i, r));
          for (int k = 0; k < 8; k++) {
            s.write((int) (bits >>> (8 * k)));
          }
          s.write(0x10); // field 2, varint: timestamp
          varint(s, base + r * 15_000L);
          message(ts, 2, s.toByteArray());
          message(req, 1, ts.toByteArray());
        }
        requests[b][r] = Snappy.compress(req.toByteArray());
      }
    }
    System.err.printf("encoded %d requests in %.1f s%n", batches * samples, (System.nanoTime() - t0) / 1e9);

    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    AtomicLong sent = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong requestsDone = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int k = 0; k < senders; k++) {
      int id = k;
      Thread t = new Thread(() -> {
        for (int r = 0; r < samples; r++) {
          for (int b = id; b < batches; b += senders) {
            int n = Math.min(series, (b + 1) * batch) - b * batch;
            try {
              HttpResponse<String> resp = client.send(HttpRequest.newBuilder(URI.create(url))
                  .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                  .header("X-Prometheus-Remote-Write-Version", "0.1.0").timeout(Duration.ofSeconds(60))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(requests[b][r])).build(),
                  HttpResponse.BodyHandlers.ofString());
              if (resp.statusCode() / 100 == 2) {
                sent.addAndGet(n);
              } else if (errors.incrementAndGet() <= 3) {
                System.err.println("HTTP " + resp.statusCode() + ": " + resp.body().strip());
              }
            } catch (Exception e) {
              if (errors.incrementAndGet() <= 3) {
                System.err.println("error: " + e);
              }
            }
            requestsDone.incrementAndGet();
          }
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    double secs = (System.nanoTime() - start) / 1e9;
    System.out.printf("samples_per_second: %.0f%nrequests: %d%nerrors: %d%nseconds: %.2f%n", sent.get() / secs,
        requestsDone.get(), errors.get(), secs);
  }

  static String[] labels(int i) {
    String[] families = {"node_cpu_seconds_total", "node_network_receive_bytes_total", "http_requests_total",
        "http_request_duration_seconds_bucket", "process_resident_memory_bytes", "node_filesystem_avail_bytes"};
    String family = families[i % families.length] + (i / families.length % 40 == 0 ? "" : "_" + (i / families.length % 40));
    return new String[] {"__name__", family, "cpu", Integer.toString(i % 32), "env", i % 3 == 0 ? "staging" : "prod",
        "instance", "host-" + (i / 97 % 2000) + ".example.net:9100", "job", new String[] {"node", "api", "db"}[i % 3],
        "mode", new String[] {"user", "system", "idle", "iowait", "irq"}[i / 32 % 5], "region", "eu-" + (i % 4)};
  }

  static double value(int series, int round) {
    return series % 5 == 0 ? round * 0.25 + series : Math.floor((series * 31L + round * 7L) % 1000) + round * 100;
  }

  static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  static void string(ByteArrayOutputStream out, int field, String s) {
    message(out, field, s.getBytes(StandardCharsets.UTF_8));
  }

  static void message(ByteArrayOutputStream out, int field, byte[] b) {
    varint(out, (field << 3) | 2);
    varint(out, b.length);
    out.write(b, 0, b.length);
  }
}
