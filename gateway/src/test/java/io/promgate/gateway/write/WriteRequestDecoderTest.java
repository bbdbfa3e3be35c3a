package io.promgate.gateway.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.promgate.model.Labels;
import io.promgate.routing.config.IngestLimits;
import io.promgate.storeapi.prompb.Exemplar;
import io.promgate.storeapi.prompb.Histogram;
import io.promgate.storeapi.prompb.Label;
import io.promgate.storeapi.prompb.MetricMetadata;
import io.promgate.storeapi.prompb.Sample;
import io.promgate.storeapi.prompb.TimeSeries;
import io.promgate.storeapi.prompb.WriteRequest;
import io.promgate.tsdb.SeriesSamples;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The wire decoder against protobuf-java's generated parser: random requests (unsorted, duplicate and empty
 * labels, non-ASCII, exemplars, histograms, metadata) decode to the same series, samples, refusals and
 * metadata, the first time (cache miss) and again (cache hit); mutated bytes are refused or decoded exactly
 * as protobuf-java decodes them.
 */
class WriteRequestDecoderTest {
  static final String[] NAMES = {"__name__", "a", "job", "zone", "ü", ""};
  static final String[] VALUES = {"", "x", "up", "1", "日本", "a\"b"};

  static WriteRequest random(Random r) {
    WriteRequest.Builder w = WriteRequest.newBuilder();
    for (int s = 0, n = r.nextInt(6); s < n; s++) {
      TimeSeries.Builder ts = TimeSeries.newBuilder();
      List<String> names = new ArrayList<>();
      if (r.nextInt(8) > 0) {
        names.add("__name__");
      }
      for (int i = 0, m = r.nextInt(4); i < m; i++) {
        names.add(NAMES[r.nextInt(NAMES.length)]);
      }
      if (r.nextInt(4) > 0) {
        names.sort(null);
      }
      for (String name : names) {
        String v = name.equals("__name__") ? (r.nextInt(10) == 0 ? "" : "m" + r.nextInt(3)) : VALUES[r.nextInt(VALUES.length)];
        ts.addLabels(Label.newBuilder().setName(name).setValue(v));
      }
      for (int i = 0, m = r.nextInt(4); i < m; i++) {
        ts.addSamples(Sample.newBuilder().setTimestamp(r.nextLong() >> r.nextInt(64))
            .setValue(r.nextBoolean() ? r.nextDouble() : Double.longBitsToDouble(r.nextLong())));
      }
      if (r.nextInt(5) == 0) {
        ts.addExemplars(Exemplar.newBuilder().setValue(1).setTimestamp(2).addLabels(Label.newBuilder().setName("t").setValue("v")));
      }
      if (r.nextInt(6) == 0) {
        ts.addHistograms(Histogram.newBuilder().setSum(1).setTimestamp(3));
      }
      w.addTimeseries(ts);
    }
    if (r.nextInt(3) == 0) {
      w.addMetadata(MetricMetadata.newBuilder().setMetricFamilyName(r.nextBoolean() ? "fam" : "")
          .setTypeValue(r.nextInt(9)).setHelp("h").setUnit(r.nextBoolean() ? "s" : ""));
    }
    return w.build();
  }

  /** What the generated parser's objects mean, by the rules in {@link DecodedWrite}. */
  static String expected(WriteRequest req) {
    StringBuilder sb = new StringBuilder();
    long invalid = 0;
    long histograms = 0;
    for (TimeSeries ts : req.getTimeseriesList()) {
      histograms += ts.getHistogramsCount();
      String[] pairs = new String[ts.getLabelsCount() * 2];
      for (int i = 0; i < ts.getLabelsCount(); i++) {
        pairs[2 * i] = ts.getLabels(i).getName();
        pairs[2 * i + 1] = ts.getLabels(i).getValue();
      }
      if (DecodedWrite.problem(pairs) != null) {
        invalid += ts.getSamplesCount();
        continue;
      }
      if (ts.getSamplesCount() == 0) {
        continue;
      }
      List<String> kept = new ArrayList<>();
      for (Label l : ts.getLabelsList()) {
        if (!l.getValue().isEmpty()) {
          kept.add(l.getName());
          kept.add(l.getValue());
        }
      }
      sb.append(Labels.fromSortedPairs(kept.toArray(new String[0])));
      for (Sample s : ts.getSamplesList()) {
        sb.append(' ').append(s.getTimestamp()).append('=').append(Double.doubleToRawLongBits(s.getValue()));
      }
      sb.append('\n');
    }
    for (MetricMetadata m : req.getMetadataList()) {
      if (!m.getMetricFamilyName().isEmpty()) {
        String type = m.getType() == MetricMetadata.MetricType.UNRECOGNIZED ? "unknown"
            : m.getType().name().toLowerCase(Locale.ROOT);
        sb.append("meta ").append(m.getMetricFamilyName()).append(' ').append(type).append(' ').append(m.getHelp())
            .append(' ').append(m.getUnit()).append('\n');
      }
    }
    return sb.append("invalid ").append(invalid).append(" histograms ").append(histograms).toString();
  }

  static String actual(DecodedWrite w) {
    StringBuilder sb = new StringBuilder();
    for (SeriesSamples s : w.series()) {
      sb.append(s.labels());
      for (int i = 0; i < s.size(); i++) {
        sb.append(' ').append(s.timestamps()[i]).append('=').append(Double.doubleToRawLongBits(s.values()[i]));
      }
      sb.append('\n');
    }
    for (io.promgate.tsdb.MetricMetadata m : w.metadata()) {
      sb.append("meta ").append(m.metricFamily()).append(' ').append(m.type()).append(' ').append(m.help())
          .append(' ').append(m.unit()).append('\n');
    }
    return sb.append("invalid ").append(w.invalidSamples()).append(" histograms ").append(w.histogramSamples()).toString();
  }

  static DecodedWrite decode(WriteRequestDecoder d, byte[] b) throws Exception {
    byte[] padded = new byte[b.length + 7]; // decoding a slice of a larger buffer, as from the reused one
    System.arraycopy(b, 0, padded, 3, b.length);
    return d.decode(padded, 3, b.length, IngestLimits.NONE);
  }

  @Test
  void decodesAsTheGeneratedParser() throws Exception {
    WriteRequestDecoder d = new WriteRequestDecoder(50);
    for (long seed = 0; seed < 2000; seed++) {
      WriteRequest req = random(new Random(seed));
      byte[] b = req.toByteArray();
      String want = expected(req);
      assertThat(actual(decode(d, b))).as("seed %d, first", seed).isEqualTo(want);
      assertThat(actual(decode(d, b))).as("seed %d, cached", seed).isEqualTo(want);
    }
  }

  @Test
  void mutatedBytesAreRefusedOrDecodedAsTheGeneratedParserDoes() throws Exception {
    WriteRequestDecoder d = new WriteRequestDecoder(1000);
    int decodedBoth = 0;
    for (long seed = 0; seed < 3000; seed++) {
      WriteRequest original = random(new Random(seed));
      byte[] b = RemoteWriteFuzzTest.mutate(original.toByteArray(), seed * 7);
      WriteRequest ref;
      String refError = null;
      try {
        ref = WriteRequest.parseFrom(b);
      } catch (InvalidProtocolBufferException e) {
        ref = null;
        refError = e.getMessage();
      }
      DecodedWrite ours;
      try {
        ours = decode(d, b);
      } catch (WireReader.MalformedException e) {
        // protobuf-java skips unknown groups (wire types 3 and 4); remote write has none, so we refuse them.
        if (ref != null) {
          assertThat(e.getMessage()).as("seed %d", seed).contains("wire type");
        }
        continue;
      }
      if (ref == null) {
        // Exemplars and histograms are counted, never stored, so we do not decode their insides: damage
        // there is ignored rather than refused.
        try {
          ref = WriteRequest.parseFrom(withoutExemplarsAndHistograms(b));
        } catch (java.io.IOException e) {
          throw new AssertionError("seed " + seed + ": we decoded what protobuf-java refuses: " + refError, e);
        }
        assertThat(actual(ours)).as("seed %d", seed).endsWith("histograms " + ours.histogramSamples());
        assertThat(actual(ours).replaceAll("histograms \\d+$", "")).as("seed %d", seed)
            .isEqualTo(expected(ref).replaceAll("histograms \\d+$", ""));
        continue;
      }
      assertThat(actual(ours)).as("seed %d", seed).isEqualTo(expected(ref));
      decodedBoth++;
    }
    assertThat(decodedBoth).isGreaterThan(100);
  }

  /** The request with the exemplar (3) and histogram (4) fields of every TimeSeries removed. */
  static byte[] withoutExemplarsAndHistograms(byte[] b) throws java.io.IOException {
    com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(b);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == (1 << 3 | 2)) {
        com.google.protobuf.CodedInputStream ts = com.google.protobuf.CodedInputStream.newInstance(in.readByteArray());
        ByteArrayOutputStream tsOut = new ByteArrayOutputStream();
        CodedOutputStream t = CodedOutputStream.newInstance(tsOut);
        for (int f; (f = ts.readTag()) != 0; ) {
          if (f >>> 3 == 3 || f >>> 3 == 4) {
            ts.skipField(f);
          } else {
            ts.skipField(f, t);
          }
        }
        t.flush();
        o.writeByteArray(1, tsOut.toByteArray());
      } else {
        in.skipField(tag, o);
      }
    }
    o.flush();
    return out.toByteArray();
  }

  @Test
  void labelsInterleavedWithSamplesAreOneSeries() throws Exception {
    ByteArrayOutputStream ts = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(ts);
    o.writeMessage(1, Label.newBuilder().setName("__name__").setValue("m").build());
    o.writeMessage(2, Sample.newBuilder().setTimestamp(5).setValue(2).build());
    o.writeMessage(1, Label.newBuilder().setName("job").setValue("j").build());
    o.flush();
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    CodedOutputStream w = CodedOutputStream.newInstance(req);
    w.writeByteArray(1, ts.toByteArray());
    w.flush();
    WriteRequestDecoder d = new WriteRequestDecoder(10);
    for (int i = 0; i < 2; i++) {
      DecodedWrite dw = decode(d, req.toByteArray());
      assertThat(dw.series()).hasSize(1);
      assertThat((Object) dw.series().get(0).labels()).hasToString("{__name__=\"m\", job=\"j\"}");
      assertThat(dw.series().get(0).timestamps()).containsExactly(5);
    }
  }

  /**
   * The label table grows while several threads decode (lookups take no lock), a request may repeat a label
   * set, and every series keeps its own labels; the second time each label set is the cached instance.
   */
  @Test
  void labelTableGrowsUnderConcurrentDecodesAndKeepsEverySeriesApart() throws Exception {
    WriteRequestDecoder d = new WriteRequestDecoder(1_000_000, 16);
    int threads = 4;
    int perThread = 3000;
    List<byte[]> requests = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      WriteRequest.Builder w = WriteRequest.newBuilder();
      for (int i = 0; i < perThread; i++) {
        int id = (t * perThread + i) / 2; // threads share half their label sets with a neighbour
        w.addTimeseries(TimeSeries.newBuilder()
            .addLabels(Label.newBuilder().setName("__name__").setValue("m"))
            .addLabels(Label.newBuilder().setName("id").setValue(Integer.toString(id)))
            .addSamples(Sample.newBuilder().setTimestamp(id).setValue(id)));
        if (i % 500 == 0) { // the same label set twice in one request
          w.addTimeseries(TimeSeries.newBuilder()
              .addLabels(Label.newBuilder().setName("__name__").setValue("m"))
              .addLabels(Label.newBuilder().setName("id").setValue(Integer.toString(id)))
              .addSamples(Sample.newBuilder().setTimestamp(id + 1).setValue(id)));
        }
      }
      requests.add(w.build().toByteArray());
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 2; round++) {
        List<java.util.concurrent.Future<DecodedWrite>> fs = new ArrayList<>();
        for (byte[] req : requests) {
          fs.add(pool.submit(() -> decode(d, req)));
        }
        for (java.util.concurrent.Future<DecodedWrite> f : fs) {
          DecodedWrite w = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
          assertThat(w.invalidSamples()).isZero();
          for (SeriesSamples s : w.series()) {
            assertThat(s.labels().get("id")).isEqualTo(Long.toString((long) s.values()[0]));
          }
        }
      }
      assertThat(d.cachedSeries()).isEqualTo(threads * perThread / 2);
      DecodedWrite again = decode(d, requests.get(0));
      assertThat((Object) again.series().get(0).labels()).isSameAs(decode(d, requests.get(0)).series().get(0).labels());
      assertThat((Object) again.series().get(1).labels()).isSameAs(again.series().get(2).labels()); // repeated set
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void cachedLabelsAreOneInstanceAndLimitsAreCheckedPerTenant() throws Exception {
    WriteRequest req = WriteRequest.newBuilder().addTimeseries(TimeSeries.newBuilder()
        .addLabels(Label.newBuilder().setName("__name__").setValue("m"))
        .addLabels(Label.newBuilder().setName("path").setValue("/a/long/path"))
        .addSamples(Sample.newBuilder().setTimestamp(1).setValue(1))).build();
    WriteRequestDecoder d = new WriteRequestDecoder(10);
    DecodedWrite a = decode(d, req.toByteArray());
    DecodedWrite b = decode(d, req.toByteArray());
    assertThat((Object) a.series().get(0).labels()).isSameAs(b.series().get(0).labels());
    DecodedWrite limited = d.decode(req.toByteArray(), 0, req.getSerializedSize(), new IngestLimits(0, 0, 0, 0, 5));
    assertThat(limited.series()).isEmpty();
    assertThat(limited.invalidSamples()).isEqualTo(1);
    assertThat(limited.invalidExample()).contains("max-label-value-length 5");
    assertThat(limited.limitsHit()).containsExactly("max-label-value-length");
    assertThat(d.decode(req.toByteArray(), 0, req.getSerializedSize(), new IngestLimits(0, 0, 2, 8, 0)).series()).hasSize(1);
  }

  @Test
  void truncatedAndInvalidUtf8AreRefused() {
    byte[] b = WriteRequest.newBuilder().addTimeseries(TimeSeries.newBuilder()
        .addLabels(Label.newBuilder().setName("__name__").setValue("metric"))).build().toByteArray();
    WriteRequestDecoder d = new WriteRequestDecoder(10);
    assertThatThrownBy(() -> decode(d, Arrays.copyOf(b, b.length - 2))).hasMessageContaining("truncated");
    byte[] bad = b.clone();
    bad[bad.length - 1] = (byte) 0xff; // last byte of "metric"
    assertThatThrownBy(() -> decode(d, bad)).hasMessageContaining("UTF-8");
  }
}
