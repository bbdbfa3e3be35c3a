package io.promgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.GatewayPlugin;
import io.promgate.gateway.it.PromgateHarness;
import io.promgate.gateway.it.RemoteWrite;
import io.promgate.model.Labels;
import io.promgate.model.LabelMatcher;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.ValueType;
import io.promgate.routing.config.ConfigLoader;
import io.promgate.tsdb.BlockOptions;
import io.promgate.tsdb.Storage;
import io.promgate.tsdb.StorageOptions;
import io.promgate.tsdb.io.DiskQuota;
import io.promgate.tsdb.io.WritableFiles;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk seen through the HTTP write endpoint: remote writes get 503 (so Prometheus retries them),
 * nothing acknowledged with 204 is lost, writes resume once there is space again (same process), and the
 * WAL replays to exactly the acknowledged samples. Once with the fault-injecting file seam, once with a
 * real 2 MiB tmpfs (mounting needs root; skipped with a message where it is not permitted).
 */
class DiskFullWriteTest {
  @TempDir
  Path dir;

  /** How a test makes the disk full and gives space back. */
  interface Disk {
    void fill() throws Exception;

    void free() throws Exception;
  }

  static final long T0 = System.currentTimeMillis() / 1000 * 1000 - 3_600_000;

  private record Sent(int status, Map<String, TreeMap<Long, Double>> samples) {
  }

  /** One request: 20 series x 50 samples, starting at request number n. */
  private static Sent write(String url, int n) throws Exception {
    RemoteWrite rw = new RemoteWrite();
    Map<String, TreeMap<Long, Double>> sent = new TreeMap<>();
    for (int s = 0; s < 20; s++) {
      long[] ts = new long[50];
      double[] vs = new double[50];
      for (int i = 0; i < 50; i++) {
        ts[i] = T0 + (n * 50L + i) * 1000;
        vs[i] = n * 1000.0 + s + i / 64.0;
      }
      Map<String, String> labels = Map.of("__name__", "disk_fill", "series", "s" + s);
      rw.add(new RemoteWrite.TestSeries(labels, ts, vs));
      TreeMap<Long, Double> m = new TreeMap<>();
      for (int i = 0; i < 50; i++) {
        m.put(ts[i], vs[i]);
      }
      sent.put(Labels.of("__name__", "disk_fill", "series", "s" + s).toString(), m);
    }
    var r = PromgateHarness.HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/write"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
        .POST(HttpRequest.BodyPublishers.ofByteArray(rw.snappyBody())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isIn(204, 503);
    if (r.statusCode() == 503) {
      assertThat(r.body()).contains("No space left on device");
    }
    return new Sent(r.statusCode(), sent);
  }

  private void fillFreeFill(Path data, Disk disk) throws Exception {
    Map<String, TreeMap<Long, Double>> acked = new TreeMap<>();
    PromgateHarness gw = PromgateHarness.start(ConfigLoader.parse(
        "server: { http: 127.0.0.1:0, grpc: 127.0.0.1:0 }\nstorage: { path: " + data + " }\n"),
        ServiceLoader.load(GatewayPlugin.class).stream().map(ServiceLoader.Provider::get).toList());
    int n = 0;
    int refused = 0;
    try {
      disk.fill();
      // Until the disk is full: 204s, then 503s, never anything else.
      for (; n < 2000 && refused < 3; n++) {
        Sent s = write(gw.url(), n);
        if (s.status() == 204) {
          assertThat(refused).as("no 204 after the disk filled up").isZero();
          merge(acked, s.samples());
        } else {
          refused++;
        }
      }
      assertThat(refused).as("the disk filled up").isEqualTo(3);
      assertThat(acked).as("some writes went through first").isNotEmpty();
      var metrics = new String(PromgateHarness.get(gw.url() + "/metrics").body(), StandardCharsets.UTF_8);
      assertThat(metrics).containsPattern("promgate_store_write_failures_total [1-9]");

      disk.free();
      // The same process takes writes again, including the ones it refused (as a sender's retry would).
      for (int k = n - 3; k < n + 20; k++) {
        Sent s = write(gw.url(), k);
        assertThat(s.status()).isEqualTo(204);
        merge(acked, s.samples());
      }
    } finally {
      gw.close();
    }
    try (Storage s = Storage.open(data, StorageOptions.DEFAULT, BlockOptions.DEFAULT, Clock.systemUTC())) {
      assertThat(readAll(s, "anonymous")).as("the WAL replays to exactly the acknowledged samples").isEqualTo(acked);
    }
  }

  private static void merge(Map<String, TreeMap<Long, Double>> into, Map<String, TreeMap<Long, Double>> from) {
    from.forEach((k, v) -> into.computeIfAbsent(k, x -> new TreeMap<>()).putAll(v));
  }

  private static Map<String, TreeMap<Long, Double>> readAll(Storage s, String tenant) throws Exception {
    Map<String, TreeMap<Long, Double>> out = new TreeMap<>();
    SeriesSet ss = s.queryable(tenant).querier(Long.MIN_VALUE, Long.MAX_VALUE)
        .select(true, io.promgate.model.SelectHints.ofRange(Long.MIN_VALUE, Long.MAX_VALUE), List.of(LabelMatcher.eq("__name__", "disk_fill")));
    while (ss.next()) {
      Series x = ss.at();
      TreeMap<Long, Double> m = new TreeMap<>();
      var it = x.iterator();
      while (it.next() == ValueType.FLOAT) {
        m.put(it.timestamp(), it.value());
      }
      out.put(x.labels().toString(), m);
    }
    return out;
  }

  @Test
  void fullDiskThroughTheFileSeamGives503AndLosesNothing() throws Exception {
    Path data = dir.resolve("data");
    DiskQuota quota = DiskQuota.unlimited();
    WritableFiles.injectFaults(data, quota);
    try {
      fillFreeFill(data, new Disk() {
        @Override
        public void fill() {
          quota.setFreeBytes(300_000);
        }

        @Override
        public void free() {
          quota.setFreeBytes(Long.MAX_VALUE / 2);
        }
      });
    } finally {
      WritableFiles.clearFaults(data);
    }
  }

  @Test
  void fullTmpfsGives503AndLosesNothing() throws Exception {
    Path mnt = Files.createDirectories(dir.resolve("tmpfs"));
    int rc = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt.toString());
    Assumptions.assumeTrue(rc == 0, "mounting a tmpfs is not permitted here (mount exit " + rc
        + "); the file-seam test covers a full disk");
    try {
      fillFreeFill(mnt.resolve("data"), new Disk() {
        @Override
        public void fill() {
        }

        @Override
        public void free() throws Exception {
          assertThat(run("mount", "-o", "remount,size=16m", mnt.toString())).isZero();
        }
      });
    } finally {
      run("umount", mnt.toString());
    }
  }

  private static int run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
