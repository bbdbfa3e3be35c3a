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
}
