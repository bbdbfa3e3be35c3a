package io.promgate.gateway.backend.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.promgate.model.LabelMatcher;
import io.promgate.model.SampleIterator;
import io.promgate.model.Series;
import io.promgate.model.SeriesSets;
import io.promgate.model.StaleNaN;
import io.promgate.model.ValueType;
import io.promgate.model.chunk.XorChunk;
import io.promgate.storeapi.prompb.Chunk;
import io.promgate.storeapi.prompb.ChunkedReadResponse;
import io.promgate.storeapi.prompb.ChunkedSeries;
import io.promgate.storeapi.prompb.Label;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteReadDecodingTest {
  static ChunkedSeries series(String name, long[] t, double[] v) {
    XorChunk c = XorChunk.encode(t, v);
    return ChunkedSeries.newBuilder().addLabels(Label.newBuilder().setName("__name__").setValue(name))
        .addChunks(Chunk.newBuilder().setType(Chunk.Encoding.XOR).setMinTimeMs(t[0]).setMaxTimeMs(t[t.length - 1])
            .setData(ByteString.copyFrom(c.bytes())))
        .build();
  }

  @Test
  void framesRoundTripAndSeriesContinuedInTheNextFrameAreJoined() throws IOException {
    byte[] f1 = ChunkedReadResponse.newBuilder().addChunkedSeries(series("a", new long[] {1, 2}, new double[] {1, 2}))
        .build().toByteArray();
    byte[] f2 = ChunkedReadResponse.newBuilder().addChunkedSeries(series("a", new long[] {3, 4}, new double[] {3, 4}))
        .addChunkedSeries(series("b", new long[] {5}, new double[] {StaleNaN.VALUE})).build().toByteArray();
    byte[] body = ChunkedFrames.encode(List.of(f1, f2));
    List<Series> out = SeriesSets.toList(RemoteReadDecoder.streamed(body, 2, 10));
    assertThat(out).hasSize(2);
    SampleIterator it = out.get(0).iterator();
    StringBuilder ts = new StringBuilder();
    while (it.next() != ValueType.NONE) {
      ts.append(it.timestamp()).append(' ');
    }
    assertThat(ts.toString()).isEqualTo("2 3 4 "); // trimmed to [mint, maxt]
    SampleIterator b = out.get(1).iterator();
    assertThat(b.next()).isEqualTo(ValueType.FLOAT);
    assertThat(StaleNaN.is(b.value())).as("remote read keeps stale markers").isTrue();
  }

  @Test
  void corruptOrTruncatedStreamsFail() {
    byte[] body = ChunkedFrames.encode(List.of(new byte[] {8, 1, 8, 2}));
    byte[] flipped = body.clone();
    flipped[flipped.length - 1] ^= 1;
    assertThatThrownBy(() -> ChunkedFrames.split(flipped)).hasMessageContaining("checksum");
    byte[] cut = java.util.Arrays.copyOf(body, body.length - 1);
    assertThatThrownBy(() -> ChunkedFrames.split(cut)).hasMessageContaining("ends inside a frame");
  }

  @Test
  void instantQueryFallbackDecodesMatrixAndLosesStaleMarkers() {
    // What Prometheus answers for {__name__="x"}[1m] when the series was marked stale at t=30: the stale
    // marker is not in the matrix, so after decoding nothing says the series ended (documented loss).
    JsonObject answer = new JsonObject("""
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"__name__":"x","job":"a"},"values":[[0.015,"1"],[0.020,"+Inf"],[0.025,"NaN"]]}]},
         "warnings":["w"]}""");
    List<Series> out = SeriesSets.toList(InstantQueryRead.decode(answer));
    assertThat(out).hasSize(1);
    SampleIterator it = out.get(0).iterator();
    int n = 0;
    boolean sawStale = false;
    while (it.next() != ValueType.NONE) {
      n++;
      sawStale |= StaleNaN.is(it.value());
    }
    assertThat(n).isEqualTo(3);
    assertThat(sawStale).isFalse();
    assertThat(InstantQueryRead.decode(answer).warnings()).containsExactly("w");
  }

  @Test
  void selectorTextAndTimes() {
    assertThat(InstantQueryRead.selector(List.of(LabelMatcher.eq("__name__", "up"),
        LabelMatcher.of(LabelMatcher.Type.RE, "job", "a\"b")))).isEqualTo("{__name__=\"up\", job=~\"a\\\"b\"}");
    assertThat(InstantQueryRead.seconds(1_700_000_000_123L)).isEqualTo("1700000000.123");
    assertThat(InstantQueryRead.millis(1.5)).isEqualTo(1500);
    assertThat(InstantQueryRead.millis("1700000000.123")).isEqualTo(1_700_000_000_123L);
  }
}
