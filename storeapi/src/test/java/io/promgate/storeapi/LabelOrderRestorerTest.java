package io.promgate.storeapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class LabelOrderRestorerTest {
  private static List<Labels> restore(List<Labels> storeOrder, Labels external) {
    List<ServedSeries> out = new ArrayList<>();
    LabelOrderRestorer r = new LabelOrderRestorer(out::add);
    int maxHeld = 0;
    for (Labels l : storeOrder) {
      r.accept(new ServedSeries(TenantView.served(l, List.of(), external), List.of()));
      maxHeld = Math.max(maxHeld, r.held());
    }
    r.flush();
    // Held series are a chain of nested prefixes: never more than the labels of one series (+1).
    assertThat(maxHeld).isLessThanOrEqualTo(6);
    return out.stream().map(ServedSeries::labels).toList();
  }

  @Test
  void prefixSeriesMovesBehindItsExtensions() {
    List<Labels> store = List.of(Labels.of("__name__", "up"), Labels.of("__name__", "up", "job", "a"),
        Labels.of("__name__", "up", "zone", "z"));
    assertThat(restore(store, Labels.of("region", "eu"))).extracting(Labels::toString).containsExactly(
        "{__name__=\"up\", job=\"a\", region=\"eu\"}",
        "{__name__=\"up\", region=\"eu\"}",
        "{__name__=\"up\", region=\"eu\", zone=\"z\"}");
  }

  /** Random label sets over a small alphabet (many prefixes), random external labels: always sorted output. */
  @RepeatedTest(30)
  void anyStoreOrderComesOutSorted() {
    Random rnd = new Random();
    String[] names = {"a", "b", "c", "d", "e", "f"};
    TreeSet<Labels> store = new TreeSet<>();
    for (int i = 0; i < 300; i++) {
      Labels.Builder b = Labels.builder();
      for (int j = 0; j < 1 + rnd.nextInt(4); j++) {
        b.set(names[rnd.nextInt(4)], "v" + rnd.nextInt(3));
      }
      store.add(b.build());
    }
    Labels.Builder ext = Labels.builder();
    for (int j = 0; j < 1 + rnd.nextInt(2); j++) {
      ext.set(names[4 + rnd.nextInt(2)], "x");
    }
    List<Labels> got = restore(new ArrayList<>(store), ext.build());
    assertThat(got).hasSize(store.size()).isSortedAccordingTo(Labels::compareTo);
  }

  /** External names interleaved with the series' names (the tenant_id case: "t" sorts amid them). */
  @RepeatedTest(30)
  void externalNamesBetweenSeriesNames() {
    Random rnd = new Random();
    String[] names = {"a", "c", "e", "g", "i"};
    TreeSet<Labels> store = new TreeSet<>();
    for (int i = 0; i < 300; i++) {
      Labels.Builder b = Labels.builder();
      for (int j = 0; j < 1 + rnd.nextInt(5); j++) {
        b.set(names[rnd.nextInt(names.length)], "v" + rnd.nextInt(2));
      }
      store.add(b.build());
    }
    Labels ext = Labels.of("b", "x", "f", "y");
    assertThat(restore(new ArrayList<>(store), ext)).hasSize(store.size()).isSortedAccordingTo(Labels::compareTo);
  }
}
