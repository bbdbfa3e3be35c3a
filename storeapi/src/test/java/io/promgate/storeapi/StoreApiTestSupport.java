package io.promgate.storeapi;

import io.promgate.model.Labels;
import io.promgate.model.SampleIterator;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.ValueType;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Helpers shared by the gRPC tests: waiting on futures from the test thread, flattening series sets. */
final class StoreApiTestSupport {
  record Sample(long t, double v) {
  }

  record Flat(Labels labels, List<Sample> samples) {
  }

  private StoreApiTestSupport() {
  }

  static <T> T get(Future<T> f) {
    return get(f, 20);
  }

  static <T> T get(Future<T> f, int seconds) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static List<Sample> samples(SampleIterator it) {
    List<Sample> out = new ArrayList<>();
    while (it.next() == ValueType.FLOAT) {
      out.add(new Sample(it.timestamp(), it.value()));
    }
    return out;
  }

  static List<Flat> flatten(SeriesSet set) {
    List<Flat> out = new ArrayList<>();
    while (set.next()) {
      Series s = set.at();
      out.add(new Flat(s.labels(), samples(s.iterator())));
    }
    return out;
  }

  /** What the server should return for stored series: external labels added, samples trimmed to the range. */
  static Flat expected(InMemoryTenants.Stored s, Labels external, long mint, long maxt) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < s.ts().length; i++) {
      if (s.ts()[i] >= mint && s.ts()[i] <= maxt) {
        samples.add(new Sample(s.ts()[i], s.vs()[i]));
      }
    }
    return new Flat(s.labels().toBuilder().setAll(external).build(), samples);
  }
}
