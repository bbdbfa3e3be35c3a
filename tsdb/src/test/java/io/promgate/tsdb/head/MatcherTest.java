package io.promgate.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.LabelMatcher;
import io.promgate.model.LabelMatcher.Type;
import io.promgate.model.Labels;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSets;
import io.promgate.tsdb.SeriesSamples;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Index matching against the brute-force definition: a series matches when every matcher matches its value
 * of the label ("" when absent), which is exactly Prometheus' semantics for absent labels.
 */
class MatcherTest {
  static final String[] NAMES = {"__name__", "job", "instance", "env"};
  static final String[][] VALUES = {{"up", "http_requests_total", "node_cpu"}, {"api", "db", "web"},
      {"a:1", "b:2", "c:3", "d:4"}, {"prod", "dev"}};

  @Test
  void indexMatchesBruteForceForRandomMatchers() {
    Random rnd = new Random(3);
    Head h = new Head(Head.Options.DEFAULT);
    List<Labels> all = new ArrayList<>();
    List<SeriesSamples> batch = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      Labels.Builder b = Labels.builder();
      for (int n = 0; n < NAMES.length; n++) {
        if (n == 0 || rnd.nextInt(4) != 0) { // some labels absent
          b.set(NAMES[n], VALUES[n][rnd.nextInt(VALUES[n].length)]);
        }
      }
      b.set("i", Integer.toString(i));
      Labels l = b.build();
      all.add(l);
      batch.add(SeriesSamples.of(l, 1000, i));
    }
    HeadTest.append(h, batch.toArray(new SeriesSamples[0]));
    String[] res = {".*", ".+", "", "a.*", "api|db", "up|", "(?i)UP", "prod", "d.*:4", "nope"};
    for (int run = 0; run < 500; run++) {
      List<LabelMatcher> ms = new ArrayList<>();
      int k = 1 + rnd.nextInt(3);
      for (int j = 0; j < k; j++) {
        int n = rnd.nextInt(NAMES.length + 1);
        String name = n == NAMES.length ? "absent" : NAMES[n];
        Type type = Type.values()[rnd.nextInt(4)];
        String value = (type == Type.RE || type == Type.NRE) ? res[rnd.nextInt(res.length)]
            : rnd.nextInt(4) == 0 ? "" : n < NAMES.length ? VALUES[n][rnd.nextInt(VALUES[n].length)] : "x";
        ms.add(LabelMatcher.of(type, name, value));
      }
      List<Labels> expected = all.stream().filter(l -> ms.stream().allMatch(m -> m.matches(l.get(m.name()))))
          .sorted().toList();
      List<Labels> got = SeriesSets.toList(h.querier(0, 2000).select(true, SelectHints.ofRange(0, 2000), ms))
          .stream().map(Series::labels).toList();
      assertThat(got).as("matchers %s", ms).containsExactlyElementsOf(expected);

      List<String> expectedJobs = expected.stream().map(l -> l.get("job")).filter(v -> !v.isEmpty())
          .distinct().sorted().toList();
      assertThat(h.querier(0, 2000).labelValues("job", ms)).as("values %s", ms).isEqualTo(expectedJobs);
    }
  }

  @Test
  void labelNamesAndValuesWithoutMatchersAndOutsideTheRange() {
    Head h = new Head(Head.Options.DEFAULT);
    HeadTest.append(h, SeriesSamples.of(Labels.of("__name__", "up", "job", "x"), 1000, 1),
        SeriesSamples.of(Labels.of("__name__", "go", "zone", "z"), 1000, 1));
    assertThat(h.querier(0, 2000).labelNames(List.of())).containsExactly("__name__", "job", "zone");
    assertThat(h.querier(0, 2000).labelNames(List.of(LabelMatcher.eq("__name__", "up")))).containsExactly("__name__", "job");
    assertThat(h.querier(0, 2000).labelValues("__name__", List.of())).containsExactly("go", "up");
    assertThat(h.querier(5000, 6000).labelNames(List.of())).isEmpty();
    assertThat(h.querier(5000, 6000).labelValues("__name__", List.of())).isEmpty();
  }
}
