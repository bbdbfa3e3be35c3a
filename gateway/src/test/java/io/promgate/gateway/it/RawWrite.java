package io.promgate.gateway.it;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * Remote-write bodies exactly as given, including the malformed ones a well-behaved sender never makes
 * (labels out of order, empty names): {@link RemoteWrite} sorts labels, this keeps their order. Field
 * numbers from prometheus/prompb (WriteRequest.timeseries = 1; TimeSeries.labels = 1, samples = 2;
 * Label.name = 1, value = 2; Sample.value = 1, timestamp = 2).
 */
public final class RawWrite {
  private record Series(List<String> labelPairs, long[] ts, double[] vs) {}

  private final List<Series> series = new ArrayList<>();

  /** {@code labelPairs}: name, value, name, value... in wire order. */
  public RawWrite add(List<String> labelPairs, long[] ts, double[] vs) {
    series.add(new Series(List.copyOf(labelPairs), ts, vs));
    return this;
  }

  public byte[] protobuf() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CodedOutputStream w = CodedOutputStream.newInstance(out);
      for (Series s : series) {
        ByteArrayOutputStream so = new ByteArrayOutputStream();
        CodedOutputStream sw = CodedOutputStream.newInstance(so);
        for (int i = 0; i < s.labelPairs().size(); i += 2) {
          ByteArrayOutputStream lo = new ByteArrayOutputStream();
          CodedOutputStream lw = CodedOutputStream.newInstance(lo);
          lw.writeString(1, s.labelPairs().get(i));
          lw.writeString(2, s.labelPairs().get(i + 1));
          lw.flush();
          sw.writeByteArray(1, lo.toByteArray());
        }
        for (int i = 0; i < s.ts().length; i++) {
          ByteArrayOutputStream po = new ByteArrayOutputStream();
          CodedOutputStream pw = CodedOutputStream.newInstance(po);
          pw.writeDouble(1, s.vs()[i]);
          pw.writeInt64(2, s.ts()[i]);
          pw.flush();
          sw.writeByteArray(2, po.toByteArray());
        }
        sw.flush();
        w.writeByteArray(1, so.toByteArray());
      }
      w.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public byte[] snappy() {
    try {
      return Snappy.compress(protobuf());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** POSTs {@code body} with the remote-write headers (content type given, null to omit it). */
  public static HttpResponse<String> post(String url, String contentType, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Content-Encoding", "snappy").header("X-Prometheus-Remote-Write-Version", "0.1.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return PromgateHarness.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
