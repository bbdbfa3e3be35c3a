import java.io.ByteArrayOutputStream;
import java.io.FileWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.xerial.snappy.Snappy;

/**
 * Steady remote write for bench/soak.sh (source launcher:
 * {@code java -cp snappy-java.jar SoakWrite.java URL SERIES PERIOD_MS LOG}): every PERIOD_MS one request
 * carrying one sample at "now" for each of SERIES counters ({@code soak_requests_total}, 5 labels), until
 * killed. Appends {@code <epoch ms> <HTTP status or 0> <seconds>} per request to LOG, as the soak's query
 * loop does, so both are summarized the same way. Encodes prometheus.WriteRequest by hand (no promgate
 * classes needed), like RemoteWriteLoad.
 */
public class SoakWrite {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    int series = Integer.parseInt(args[1]);
    long period = Long.parseLong(args[2]);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    try (PrintWriter log = new PrintWriter(new FileWriter(args[3], true), true)) {
      long next = System.currentTimeMillis();
      for (long round = 0; ; round++) {
        long now = System.currentTimeMillis();
        byte[] body = Snappy.compress(request(series, round, now));
        long t0 = System.nanoTime();
        int status;
        try {
          status = client.send(HttpRequest.newBuilder(URI.create(url))
              .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
              .header("X-Prometheus-Remote-Write-Version", "0.1.0").timeout(Duration.ofSeconds(30))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding())
              .statusCode();
        } catch (Exception e) {
          status = 0;
        }
        log.printf("%d %d %.4f%n", System.currentTimeMillis(), status, (System.nanoTime() - t0) / 1e9);
        next += period;
        long wait = next - System.currentTimeMillis();
        if (wait > 0) {
          Thread.sleep(wait);
        }
      }
    }
  }

  static byte[] request(int series, long round, long ts) {
    ByteArrayOutputStream req = new ByteArrayOutputStream(series * 150);
    for (int i = 0; i < series; i++) {
      ByteArrayOutputStream t = new ByteArrayOutputStream(200);
      String[] labels = {"__name__", "soak_requests_total", "code", i % 10 == 0 ? "500" : "200",
          "instance", "host-" + (i % 50), "job", new String[] {"api", "web", "db"}[i % 3], "path", "/p" + (i / 50)};
      for (int l = 0; l < labels.length; l += 2) {
        ByteArrayOutputStream lab = new ByteArrayOutputStream(64);
        message(lab, 1, labels[l].getBytes(StandardCharsets.UTF_8));
        message(lab, 2, labels[l + 1].getBytes(StandardCharsets.UTF_8));
        message(t, 1, lab.toByteArray());
      }
      ByteArrayOutputStream s = new ByteArrayOutputStream(16);
      s.write(0x09); // field 1, fixed64: value
      long bits = Double.doubleToLongBits(round * (1 + i % 7));
      for (int k = 0; k < 8; k++) {
        s.write((int) (bits >>> (8 * k)));
      }
      s.write(0x10); // field 2, varint: timestamp
      varint(s, ts);
      message(t, 2, s.toByteArray());
      message(req, 1, t.toByteArray());
    }
    return req.toByteArray();
  }

  static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  static void message(ByteArrayOutputStream out, int field, byte[] b) {
    varint(out, (field << 3) | 2);
    varint(out, b.length);
    out.write(b, 0, b.length);
  }
}
