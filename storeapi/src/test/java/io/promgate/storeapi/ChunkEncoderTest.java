package io.promgate.storeapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.chunk.XorChunk;
import io.promgate.storeapi.thanos.AggrChunk;
import io.promgate.storeapi.thanos.Chunk;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkEncoderTest {
  @Test
  void cutsChunksOf120SamplesWithPrometheusBytes() {
    int n = 250;
    long[] ts = new long[n];
    double[] vs = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = 1_000_000 + i * 15_000L + (i % 5);
      vs[i] = Math.sin(i) * 100;
    }
    List<AggrChunk> chunks = ChunkEncoder.encode(new InMemoryTenants.ArrayIterator(ts, vs), Long.MIN_VALUE,
        Long.MAX_VALUE);
    assertThat(chunks).hasSize(3);
    int[] bounds = {0, 120, 240, 250};
    for (int c = 0; c < 3; c++) {
      long[] t = Arrays.copyOfRange(ts, bounds[c], bounds[c + 1]);
      double[] v = Arrays.copyOfRange(vs, bounds[c], bounds[c + 1]);
      AggrChunk got = chunks.get(c);
      assertThat(got.getRaw().getType()).isEqualTo(Chunk.Encoding.XOR);
      assertThat(got.getRaw().getData().toByteArray()).isEqualTo(XorChunk.encode(t, v).bytes());
      assertThat(got.getMinTime()).isEqualTo(t[0]);
      assertThat(got.getMaxTime()).isEqualTo(t[t.length - 1]);
    }
  }

  @Test
  void keepsOnlySamplesInsideTheRange() {
    long[] ts = {10, 20, 30, 40, 50};
    double[] vs = {1, 2, 3, 4, 5};
    List<AggrChunk> chunks = ChunkEncoder.encode(new InMemoryTenants.ArrayIterator(ts, vs), 20, 40);
    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).getRaw().getData().toByteArray())
        .isEqualTo(XorChunk.encode(new long[] {20, 30, 40}, new double[] {2, 3, 4}).bytes());
    assertThat(ChunkEncoder.encode(new InMemoryTenants.ArrayIterator(ts, vs), 60, 70)).isEmpty();
  }

  @Test
  void chunkedSeriesArePassedOnByteForByteAndWhole() {
    XorChunk first = XorChunk.encode(new long[] {10, 20, 30}, new double[] {1, 2, 3});
    XorChunk second = XorChunk.encode(new long[] {40, 50}, new double[] {4, 5});
    XorChunk outside = XorChunk.encode(new long[] {90}, new double[] {9});
    io.promgate.model.chunk.ChunkedSeries series = new io.promgate.model.chunk.ChunkedSeries() {
      @Override
      public List<XorChunk> chunks(long mint, long maxt) {
        return List.of(first, second, outside);
      }

      @Override
      public io.promgate.model.Labels labels() {
        return io.promgate.model.Labels.of("__name__", "x");
      }

      @Override
      public io.promgate.model.SampleIterator iterator() {
        throw new AssertionError("must not decode a chunked series");
      }
    };
    List<AggrChunk> got = ChunkEncoder.chunks(series, 25, 45);
    assertThat(got).extracting(c -> c.getRaw().getData().toByteArray())
        .containsExactly(first.bytes(), second.bytes());
    assertThat(got).extracting(AggrChunk::getMinTime).containsExactly(10L, 40L);
  }
}
