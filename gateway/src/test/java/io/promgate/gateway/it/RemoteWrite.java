package io.promgate.gateway.it;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xerial.snappy.Snappy;

/**
 * Builds Prometheus remote-write 1.0 bodies (snappy-compressed {@code prometheus.WriteRequest}) by hand:
 * only four tiny messages are needed, and hand-encoding keeps these tests independent of the generated
 * protobuf classes. Field numbers from prometheus/prompb/remote.proto and types.proto.
 */
public final class RemoteWrite {
  /** One series: labels (sorted here, as the protocol requires) and samples as (timestamp ms, value). */
  public record TestSeries(Map<String, String> labels, long[] timestamps, double[] values) {
    public TestSeries {
      labels = new TreeMap<>(labels);
    }
  }

  private final List<TestSeries> series = new ArrayList<>();

  public RemoteWrite add(TestSeries s) {
    series.add(s);
    return this;
  }

  public byte[] snappyBody() throws IOException {
    return Snappy.compress(encode());
  }

  byte[] encode() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream w = CodedOutputStream.newInstance(out);
    for (TestSeries s : series) {
      w.writeByteArray(1, timeSeries(s)); // WriteRequest.timeseries = 1
    }
    w.flush();
    return out.toByteArray();
  }

  private static byte[] timeSeries(TestSeries s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream w = CodedOutputStream.newInstance(out);
    for (Map.Entry<String, String> l : s.labels().entrySet()) {
      ByteArrayOutputStream lo = new ByteArrayOutputStream();
      CodedOutputStream lw = CodedOutputStream.newInstance(lo);
      lw.writeString(1, l.getKey()); // Label.name = 1
      lw.writeString(2, l.getValue()); // Label.value = 2
      lw.flush();
      w.writeByteArray(1, lo.toByteArray()); // TimeSeries.labels = 1
    }
    for (int i = 0; i < s.timestamps().length; i++) {
      ByteArrayOutputStream so = new ByteArrayOutputStream();
      CodedOutputStream sw = CodedOutputStream.newInstance(so);
      sw.writeDouble(1, s.values()[i]); // Sample.value = 1
      sw.writeInt64(2, s.timestamps()[i]); // Sample.timestamp = 2
      sw.flush();
      w.writeByteArray(2, so.toByteArray()); // TimeSeries.samples = 2
    }
    w.flush();
    return out.toByteArray();
  }
}
