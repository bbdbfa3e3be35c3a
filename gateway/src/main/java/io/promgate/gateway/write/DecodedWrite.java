package io.promgate.gateway.write;

import io.promgate.storeapi.prompb.Label;
import io.promgate.storeapi.prompb.Sample;
import io.promgate.storeapi.prompb.TimeSeries;
import io.promgate.storeapi.prompb.WriteRequest;
import io.promgate.model.Labels;
import io.promgate.tsdb.MetricMetadata;
import io.promgate.tsdb.SeriesSamples;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A validated remote-write request: the series that may be stored and what was refused before storage.
 *
 * <p>Label rules: names sorted and unique (the remote-write spec requires senders to sort), every name
 * non-empty, a non-empty {@code __name__}. Any UTF-8 name is legal, as with Prometheus 3's UTF-8 name
 * validation (protobuf already refuses invalid UTF-8 in strings). Sortedness is checked with Java's
 * {@link String#compareTo}, the order {@link Labels} uses; it equals Go's byte order except for
 * supplementary characters.
 */
record DecodedWrite(List<SeriesSamples> series, List<MetricMetadata> metadata, long samples,
    long invalidSamples, String invalidExample, long histogramSamples) {

  static DecodedWrite of(WriteRequest req) {
    List<SeriesSamples> series = new ArrayList<>(req.getTimeseriesCount());
    long samples = 0;
    long invalid = 0;
    long histograms = 0;
    String example = null;
    for (TimeSeries ts : req.getTimeseriesList()) {
      histograms += ts.getHistogramsCount();
      String problem = problem(ts.getLabelsList());
      if (problem != null) {
        invalid += ts.getSamplesCount();
        if (example == null) {
          example = problem + " in series " + render(ts.getLabelsList());
        }
        continue;
      }
      int n = ts.getSamplesCount();
      if (n == 0) {
        continue;
      }
      String[] pairs = new String[ts.getLabelsCount() * 2];
      int k = 0;
      for (Label l : ts.getLabelsList()) {
        if (!l.getValue().isEmpty()) { // an empty value means "no such label", as in Prometheus
          pairs[k++] = l.getName();
          pairs[k++] = l.getValue();
        }
      }
      Labels labels = Labels.fromSortedPairs(k == pairs.length ? pairs : java.util.Arrays.copyOf(pairs, k));
      long[] t = new long[n];
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        Sample s = ts.getSamples(i);
        t[i] = s.getTimestamp();
        v[i] = s.getValue();
      }
      series.add(new SeriesSamples(labels, t, v));
      samples += n;
    }
    List<MetricMetadata> metadata = new ArrayList<>(req.getMetadataCount());
    for (io.promgate.storeapi.prompb.MetricMetadata m : req.getMetadataList()) {
      if (!m.getMetricFamilyName().isEmpty()) {
        String type = m.getType() == io.promgate.storeapi.prompb.MetricMetadata.MetricType.UNRECOGNIZED
            ? "unknown" : m.getType().name().toLowerCase(Locale.ROOT);
        metadata.add(new MetricMetadata(m.getMetricFamilyName(), type, m.getHelp(), m.getUnit()));
      }
    }
    return new DecodedWrite(series, metadata, samples, invalid, example, histograms);
  }

  /** Why a label set is not acceptable, or null. */
  static String problem(List<Label> labels) {
    boolean hasName = false;
    for (int i = 0; i < labels.size(); i++) {
      String name = labels.get(i).getName();
      if (name.isEmpty()) {
        return "empty label name";
      }
      if (i > 0) {
        int c = labels.get(i - 1).getName().compareTo(name);
        if (c == 0) {
          return "duplicate label name " + quote(name);
        }
        if (c > 0) {
          return "labels not sorted by name (" + quote(labels.get(i - 1).getName()) + " before " + quote(name) + ")";
        }
      }
      if (name.equals(Labels.METRIC_NAME) && !labels.get(i).getValue().isEmpty()) {
        hasName = true;
      }
    }
    return hasName ? null : "missing or empty metric name (__name__)";
  }

  private static String quote(String s) {
    return '"' + s + '"';
  }

  static String render(List<Label> labels) {
    StringBuilder sb = new StringBuilder("{");
    for (Label l : labels) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(l.getName()).append("=\"").append(l.getValue()).append('"');
    }
    return sb.append('}').toString();
  }
}
