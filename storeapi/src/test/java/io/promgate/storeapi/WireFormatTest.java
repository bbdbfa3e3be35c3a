package io.promgate.storeapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.promgate.storeapi.thanos.AggrChunk;
import io.promgate.storeapi.thanos.Chunk;
import io.promgate.storeapi.thanos.Label;
import io.promgate.storeapi.thanos.LabelMatcher;
import io.promgate.storeapi.thanos.Series;
import io.promgate.storeapi.thanos.SeriesBatch;
import io.promgate.storeapi.thanos.SeriesRequest;
import io.promgate.storeapi.thanos.SeriesResponse;
import io.promgate.storeapi.thanos.ZLabelSet;
import io.promgate.storeapi.thanos.info.InfoResponse;
import io.promgate.storeapi.thanos.info.StoreInfo;
import io.promgate.storeapi.thanos.info.TSDBInfo;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes derived by hand from the field numbers in Thanos' pkg/store/storepb/{rpc,types}.proto and
 * pkg/info/infopb/rpc.proto (tag = field << 3 | wire type), so a wrong number in our .proto files fails
 * here, whatever our own generated code agrees with.
 */
class WireFormatTest {
  private static String hex(com.google.protobuf.MessageLite m) {
    return HexFormat.of().formatHex(m.toByteArray());
  }

  @Test
  void seriesRequest() {
    SeriesRequest r = SeriesRequest.newBuilder()
        .setMinTime(1)                                   // 1 varint: 08 01
        .setMaxTime(2)                                   // 2 varint: 10 02
        .addMatchers(LabelMatcher.newBuilder()           // 3 len: 1a 08
            .setType(LabelMatcher.Type.RE)               //   1 varint RE=2: 08 02
            .setName("a").setValue("b"))                 //   2 "a": 12 01 61, 3 "b": 1a 01 62
        .setPartialResponseStrategy(io.promgate.storeapi.thanos.PartialResponseStrategy.ABORT) // 7: 38 01
        .setSkipChunks(true)                             // 8 varint: 40 01
        .setStep(3)                                      // 10 varint: 50 03
        .setRange(4)                                     // 11 varint: 58 04
        .addWithoutReplicaLabels("r")                    // 14 len: 72 01 72
        .setLimit(5)                                     // 15 varint: 78 05
        .setResponseBatchSize(6)                         // 16 varint: 80 01 06
        .build();
    assertThat(hex(r)).isEqualTo("0801" + "1002" + "1a08" + "0802" + "120161" + "1a0162" + "3801" + "4001"
        + "5003" + "5804" + "720172" + "7805" + "800106");
  }

  @Test
  void seriesResponseWithChunksAndBatch() {
    Series s = Series.newBuilder()
        .addLabels(Label.newBuilder().setName("a").setValue("b"))           // 1 len: 0a 06 (0a 01 61 12 01 62)
        .addChunks(AggrChunk.newBuilder().setMinTime(1).setMaxTime(2)       // 2 len: 12 0b
            .setRaw(Chunk.newBuilder().setType(Chunk.Encoding.XOR)          //   1: 08 01, 2: 10 02, 3 raw: 1a 05
                .setData(ByteString.copyFrom(new byte[] {7}))               //     2 data: 12 01 07 (XOR=0 omitted)
                .setHash(9)))                                               //     3 hash: 18 09
        .build();
    assertThat(hex(SeriesResponse.newBuilder().setSeries(s).build()))
        .isEqualTo("0a15" + "0a06" + "0a0161120162" + "120b" + "0801" + "1002" + "1a05" + "120107" + "1809");
    assertThat(hex(SeriesResponse.newBuilder().setWarning("w").build())).isEqualTo("120177");
    // oneof batch = 4: 22 len, SeriesBatch.series = 1: 0a len
    assertThat(hex(SeriesResponse.newBuilder().setBatch(SeriesBatch.newBuilder().addSeries(s)).build()))
        .isEqualTo("2217" + "0a15" + "0a06" + "0a0161120162" + "120b" + "0801" + "1002" + "1a05" + "120107" + "1809");
  }

  @Test
  void infoResponse() {
    ZLabelSet ls = ZLabelSet.newBuilder().addLabels(Label.newBuilder().setName("a").setValue("b")).build();
    InfoResponse r = InfoResponse.newBuilder()
        .addLabelSets(ls)                                // 1 len: 0a 08 (0a 06 ...)
        .setComponentType("x")                           // 2 len: 12 01 78
        .setStore(StoreInfo.newBuilder()                 // 3 len: 1a 16
            .setMinTime(1).setMaxTime(2)                 //   08 01 10 02
            .setSupportsSharding(true)                   //   3: 18 01
            .setSupportsWithoutReplicaLabels(true)       //   5: 28 01
            .addTsdbInfos(TSDBInfo.newBuilder()          //   6 len: 32 0a
                .setLabels(ls).setMinTime(3)))           //     1: 0a 08 ..., 2: 10 03
        .build();
    assertThat(hex(r)).isEqualTo("0a08" + "0a060a0161120162" + "120178" + "1a16" + "08011002" + "1801" + "2801"
        + "320c" + "0a08" + "0a060a0161120162" + "1003");
  }
}
