package io.promgate.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.Labels;
import io.promgate.tsdb.BlockOptions;
import io.promgate.tsdb.BlockTestData;
import io.promgate.tsdb.SeriesSamples;
import io.promgate.tsdb.Storage;
import io.promgate.tsdb.StorageOptions;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our blocks against Prometheus' own block writer for the same 2h of data (counters and gauges scraped every
 * 15 s): ours is cut from the head, Prometheus' written by {@code promtool tsdb create-blocks-from
 * openmetrics}. The index and chunk files must be byte-identical, our reader must read Prometheus' block to
 * the same samples, and bytes per sample of both are printed. Default 500 series; the report's figures come
 * from {@code -Dpromgate.bench.series=10000}.
 */
class BytesPerSampleIT {
  static final long H = 3600_000L;

  @TempDir
  Path dir;

  @Test
  void ourBlockIsByteIdenticalToPrometheusAndWeReadTheirs() throws Exception {
    Path promtool = ExternalBinaries.find("promtool");
    int n = Integer.getInteger("promgate.bench.series", 500);
    int steps = (int) (2 * H / BlockTestData.STEP);
    BlockTestData data = new BlockTestData(n, 42);
    double[][] values = new double[n][steps];
    long t0 = BlockTestData.T0;
    Block ours;
    try (Storage s = Storage.open(dir.resolve("ours"), StorageOptions.DEFAULT.withHeadWindow(Duration.ofHours(1)),
        BlockOptions.DEFAULT, Clock.fixed(Instant.ofEpochMilli(t0), ZoneOffset.UTC))) {
      List<SeriesSamples> batch = new ArrayList<>();
      for (int k = 0; k < steps; k++) {
        List<SeriesSamples> scrape = data.scrape(t0 + k * BlockTestData.STEP);
        for (int i = 0; i < n; i++) {
          values[i][k] = scrape.get(i).values()[0];
        }
        batch.addAll(scrape);
        if (batch.size() >= 20_000 || k == steps - 1) {
          assertThat(s.append("t", batch, List.of()).get(60, TimeUnit.SECONDS).allAccepted()).isTrue();
          batch.clear();
        }
      }
      // One more scrape 1h after the range closes it (head window 1h); it is not part of the block.
      s.append("t", data.scrape(t0 + 3 * H), List.of()).get(60, TimeUnit.SECONDS);
      s.runMaintenance();
      ours = s.blocks("t").get(0);
    }
    long samples = (long) n * steps;
    assertThat(ours.meta().numSamples()).isEqualTo(samples);

    Path om = dir.resolve("data.om");
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    List<Labels> series = data.series();
    order.sort(Comparator.comparing(i -> series.get(i).metricName())); // one metric family at a time
    try (BufferedWriter w = Files.newBufferedWriter(om)) {
      for (int i : order) {
        StringBuilder sb = new StringBuilder(series.get(i).metricName()).append('{');
        Labels l = series.get(i);
        boolean first = true;
        for (int j = 0; j < l.size(); j++) {
          if (!l.name(j).equals("__name__")) {
            sb.append(first ? "" : ",").append(l.name(j)).append("=\"").append(l.value(j)).append('"');
            first = false;
          }
        }
        String prefix = sb.append("} ").toString();
        for (int k = 0; k < steps; k++) {
          long t = t0 + k * BlockTestData.STEP;
          w.write(prefix + values[i][k] + " " + t / 1000 + "." + String.format("%03d", t % 1000) + "\n");
        }
      }
      w.write("# EOF\n");
    }
    Path theirsDir = dir.resolve("theirs");
    ExternalBinaries.run(List.of(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics", om.toString(),
        theirsDir.toString()), null);
    Path theirs;
    try (Stream<Path> s = Files.list(theirsDir)) {
      theirs = s.filter(Files::isDirectory).filter(p -> Ulid.isValid(p.getFileName().toString())).findFirst().orElseThrow();
    }
    // Our reader reads Prometheus' block to the same samples as ours (its writer, our reader).
    assertThat(BlockTestData.readAll(Block.open(theirs), Long.MIN_VALUE, Long.MAX_VALUE))
        .isEqualTo(BlockTestData.readAll(ours, Long.MIN_VALUE, Long.MAX_VALUE))
        .hasSize(n);
    // Same series, same samples: Prometheus' writer and ours produce the very same index and chunk bytes.
    assertThat(Files.mismatch(ours.dir().resolve("index"), theirs.resolve("index"))).as("index bytes").isEqualTo(-1);
    assertThat(Files.mismatch(ours.dir().resolve("chunks/000001"), theirs.resolve("chunks/000001")))
        .as("chunk bytes").isEqualTo(-1);
    long[] o = sizes(ours.dir());
    long[] t = sizes(theirs);
    System.out.printf("bytes/sample for %d series x 2h @15s (%d samples):%n", n, samples);
    System.out.printf("  promgate:   total %.3f (chunks %.3f, index %.3f)  %d bytes%n", (double) o[0] / samples,
        (double) o[1] / samples, (double) o[2] / samples, o[0]);
    System.out.printf("  prometheus: total %.3f (chunks %.3f, index %.3f)  %d bytes%n", (double) t[0] / samples,
        (double) t[1] / samples, (double) t[2] / samples, t[0]);
  }

  /** {total, chunks, index} bytes of a block directory. */
  static long[] sizes(Path block) throws Exception {
    long total = 0;
    long chunks = 0;
    try (Stream<Path> s = Files.walk(block)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        long size = Files.size(p);
        total += size;
        if (p.getParent().getFileName().toString().equals("chunks")) {
          chunks += size;
        }
      }
    }
    return new long[] {total, chunks, Files.size(block.resolve("index"))};
  }
}
