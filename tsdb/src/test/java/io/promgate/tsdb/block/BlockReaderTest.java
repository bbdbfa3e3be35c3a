package io.promgate.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promgate.model.LabelMatcher;
import io.promgate.model.LabelMatcher.Type;
import io.promgate.model.Labels;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSets;
import io.promgate.model.chunk.XorChunk;
import io.promgate.tsdb.head.ChunkSeries;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing and reading blocks: matcher semantics, label APIs, chunk ranges, corruption, meta and ULIDs. */
class BlockReaderTest {
  static final String[] NAMES = {"__name__", "job", "instance", "env"};
  static final String[][] VALUES = {{"up", "http_requests_total", "node_cpu"}, {"api", "db", "web"},
      {"a:1", "b:2", "c:3", "d:4"}, {"prod", "dev", "ünïcode"}};

  @TempDir
  Path dir;

  private List<Labels> randomSeries(Random rnd, int n) {
    Set<Labels> all = new HashSet<>();
    for (int i = 0; i < n; i++) {
      Labels.Builder b = Labels.builder();
      for (int k = 0; k < NAMES.length; k++) {
        if (k == 0 || rnd.nextInt(4) != 0) {
          b.set(NAMES[k], VALUES[k][rnd.nextInt(VALUES[k].length)]);
        }
      }
      b.set("i", Integer.toString(i));
      all.add(b.build());
    }
    return new ArrayList<>(all);
  }

  private Block write(List<Labels> series, long mint, long maxt) throws Exception {
    List<ChunkSeries> in = new ArrayList<>();
    int k = 0;
    for (Labels l : series) {
      // Two chunks per series, the second starting where the first ends + step.
      long[] t1 = {mint, mint + 10, mint + 20};
      long[] t2 = {mint + 30 + k, maxt - 1};
      in.add(new ChunkSeries(l, List.of(XorChunk.encode(t1, new double[] {k, k + 0.5, k + 1}),
          XorChunk.encode(t2, new double[] {-k, Double.NaN}))));
      k++;
    }
    String ulid = Ulid.next(1);
    return Block.open(BlockWriter.write(dir, new BlockMeta(ulid, mint, maxt, 0, 0, 0, 1, List.of(ulid), List.of(),
        Map.of("tenant_id", "t")), in));
  }

  @Test
  void blockMatchesBruteForceForRandomMatchers() throws Exception {
    Random rnd = new Random(5);
    List<Labels> all = randomSeries(rnd, 300);
    Block b = write(all, 1000, 5000);
    assertThat(b.meta().numSeries()).isEqualTo(all.size());
    assertThat(b.meta().numChunks()).isEqualTo(2L * all.size());
    assertThat(b.meta().numSamples()).isEqualTo(5L * all.size());
    String[] res = {".*", ".+", "", "a.*", "api|db", "up|", "(?i)UP", "prod", "d.*:4", "nope", "ü.*"};
    for (int run = 0; run < 500; run++) {
      List<LabelMatcher> ms = new ArrayList<>();
      int n = 1 + rnd.nextInt(3);
      for (int j = 0; j < n; j++) {
        int k = rnd.nextInt(NAMES.length + 1);
        String name = k == NAMES.length ? "absent" : NAMES[k];
        Type type = Type.values()[rnd.nextInt(4)];
        String value = (type == Type.RE || type == Type.NRE) ? res[rnd.nextInt(res.length)]
            : rnd.nextInt(4) == 0 ? "" : k < NAMES.length ? VALUES[k][rnd.nextInt(VALUES[k].length)] : "x";
        ms.add(LabelMatcher.of(type, name, value));
      }
      List<Labels> expected = all.stream().filter(l -> ms.stream().allMatch(m -> m.matches(l.get(m.name()))))
          .sorted().toList();
      List<Labels> got = SeriesSets.toList(b.querier(0, 10_000).select(true, SelectHints.ofRange(0, 10_000), ms))
          .stream().map(Series::labels).toList();
      assertThat(got).as("%s", ms).isEqualTo(expected);
      if (!expected.isEmpty()) {
        Set<String> values = new java.util.TreeSet<>();
        expected.forEach(l -> {
          if (!l.get("job").isEmpty()) {
            values.add(l.get("job"));
          }
        });
        assertThat(b.querier(0, 10_000).labelValues("job", ms)).as("%s", ms).containsExactlyElementsOf(values);
      }
    }
    assertThat(b.querier(0, 10_000).labelNames(List.of())).containsExactly("__name__", "env", "i", "instance", "job");
    assertThat(b.querier(0, 10_000).labelValues("env", List.of())).containsExactly("dev", "prod", "ünïcode");
    assertThat(b.querier(6000, 7000).labelValues("env", List.of())).isEmpty();
  }

  @Test
  void selectReturnsOnlyChunksInRangeAndExactSamples() throws Exception {
    Block b = write(List.of(Labels.of("__name__", "x")), 0, 1000);
    List<ChunkSeries> cs = b.selectChunks(List.of(LabelMatcher.eq("__name__", "x")), 25, 40);
    assertThat(cs.get(0).chunks()).hasSize(1).first().extracting(XorChunk::minTime).isEqualTo(30L);
    cs = b.selectChunks(List.of(LabelMatcher.eq("__name__", "x")), 0, 2000);
    assertThat(cs.get(0).chunks()).extracting(XorChunk::maxTime).containsExactly(20L, 999L);
    var it = b.querier(0, 2000).select(true, SelectHints.ofRange(0, 2000), List.of(LabelMatcher.eq("__name__", "x")));
    assertThat(it.next()).isTrue();
    var si = it.at().iterator();
    List<String> got = new ArrayList<>();
    while (si.next() != io.promgate.model.ValueType.NONE) {
      got.add(si.timestamp() + "=" + si.value());
    }
    assertThat(got).containsExactly("0=0.0", "10=0.5", "20=1.0", "30=0.0", "999=NaN");
  }

  @Test
  void corruptionIsDetectedByCrc() throws Exception {
    Block b = write(List.of(Labels.of("__name__", "x", "a", "1")), 0, 1000);
    Path chunk = b.dir().resolve("chunks/000001");
    try (FileChannel ch = FileChannel.open(chunk, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xff}), 8 + 3); // inside the first chunk's data
    }
    Block again = Block.open(b.dir());
    assertThatThrownBy(() -> again.selectChunks(List.of(LabelMatcher.eq("a", "1")), 0, 1000))
        .isInstanceOf(BlockFormatException.class).hasMessageContaining("CRC");
    Path index = b.dir().resolve("index");
    byte[] bytes = Files.readAllBytes(index);
    bytes[bytes.length - 10] ^= 1;
    Files.write(index, bytes);
    assertThatThrownBy(() -> Block.open(b.dir())).isInstanceOf(BlockFormatException.class).hasMessageContaining("TOC");
  }

  @Test
  void metaJsonRoundTripsWithThanosSection() throws Exception {
    BlockMeta m = new BlockMeta(Ulid.next(123), -5, 7200_000, 10, 2, 3, 2, List.of("A", "B"), List.of("P"),
        Map.of("tenant_id", "t\"1", "cluster", "eu"));
    assertThat(BlockMeta.fromJson(m.toJson())).isEqualTo(m);
    assertThat(m.toJson()).contains("\"version\": 1").contains("\"source\": \"receive\"")
        .contains("\"downsample\": {\"resolution\": 0}");
  }

  @Test
  void ulidsAreValidSortedAndCarryTheirTime() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      ids.add(Ulid.next(1_700_000_000_000L + i / 100));
    }
    assertThat(ids).isSorted().doesNotHaveDuplicates().allMatch(Ulid::isValid);
    assertThat(Ulid.timestamp(ids.get(999))).isEqualTo(1_700_000_000_009L);
    assertThat(Ulid.encode(0, 0, 0)).isEqualTo("00000000000000000000000000");
    assertThat(Ulid.encode((1L << 48) - 1, 0xffff, -1L)).isEqualTo("7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
  }
}
