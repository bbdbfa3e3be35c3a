package io.promgate.gateway.write;

import io.promgate.model.Labels;
import io.promgate.tsdb.MetricMetadata;
import io.promgate.tsdb.SeriesSamples;
import java.util.List;

/**
 * A validated remote-write request ({@link WriteRequestDecoder}): the series that may be stored and what was
 * refused before storage.
 *
 * <p>Label rules: names sorted and unique (the remote-write spec requires senders to sort), every name
 * non-empty, a non-empty {@code __name__}. Any UTF-8 name is legal, as with Prometheus 3's UTF-8 name
 * validation (invalid UTF-8 in strings is refused while decoding, as protobuf does). Sortedness is checked
 * with Java's {@link String#compareTo}, the order {@link Labels} uses; it equals Go's byte order except for
 * supplementary characters.
 *
 * @param limitsHit per-tenant label limits that refused series ({@code max-label-names-per-series}, ...)
 * @param minTime oldest sample timestamp in {@code series} (Long.MAX_VALUE when none), found while decoding
 *     so that the written-range notification need not walk every series again on the event loop
 * @param maxTime newest sample timestamp in {@code series} (Long.MIN_VALUE when none)
 */
record DecodedWrite(List<SeriesSamples> series, List<MetricMetadata> metadata, long samples,
    long invalidSamples, String invalidExample, long histogramSamples, List<String> limitsHit, long minTime,
    long maxTime) {

  /** Why a label set (name/value pairs as sent, empty values included) is not acceptable, or null. */
  static String problem(String[] pairs) {
    boolean hasName = false;
    for (int i = 0; i < pairs.length; i += 2) {
      String name = pairs[i];
      if (name.isEmpty()) {
        return "empty label name";
      }
      if (i > 0) {
        int c = pairs[i - 2].compareTo(name);
        if (c == 0) {
          return "duplicate label name " + quote(name);
        }
        if (c > 0) {
          return "labels not sorted by name (" + quote(pairs[i - 2]) + " before " + quote(name) + ")";
        }
      }
      if (name.equals(Labels.METRIC_NAME) && !pairs[i + 1].isEmpty()) {
        hasName = true;
      }
    }
    return hasName ? null : "missing or empty metric name (__name__)";
  }

  private static String quote(String s) {
    return '"' + s + '"';
  }

  static String render(String[] pairs) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < pairs.length; i += 2) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(pairs[i]).append("=\"").append(pairs[i + 1]).append('"');
    }
    return sb.append('}').toString();
  }
}
