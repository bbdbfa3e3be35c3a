package io.promgate.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.SampleIterator;
import io.promgate.model.SelectHints;
import io.promgate.model.Series;
import io.promgate.model.SeriesSet;
import io.promgate.model.SeriesSets;
import io.promgate.model.ValueType;
import io.promgate.model.Querier;
import io.promgate.model.Queryable;
import io.promgate.promql.engine.storage.MemoryStorage;
import io.promgate.promql.parser.PromQLParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The engine's API contract: result types, errors with their types, limits, and the single fetch. */
class EngineTest {
  private final MemoryStorage store = new MemoryStorage();
  private final Engine engine = Engine.builder().build();

  EngineTest() {
    for (int i = 0; i < 3; i++) {
      for (int t = 0; t <= 600; t += 15) {
        store.append(Labels.of("__name__", "requests_total", "pod", "p" + i), t * 1000L, t * (i + 1));
        store.append(Labels.of("__name__", "up", "pod", "p" + i), t * 1000L, 1);
      }
    }
  }

  private QueryResult instant(String q, long t) {
    return engine.instantQuery(store, PromQLParser.parse(q), t);
  }

  @Test
  void instantVectorKeepsEvaluationOrderAndTimestamps() {
    QueryResult r = instant("sort_desc(requests_total)", 600_000);
    Value.Vector v = (Value.Vector) r.value();
    assertThat(v.samples()).extracting(s -> s.metric().get("pod")).containsExactly("p2", "p1", "p0");
    assertThat(v.samples()).allSatisfy(s -> assertThat(s.timestamp()).isEqualTo(600_000));
    assertThat(v.samples().get(0).value()).isEqualTo(1800);
  }

  @Test
  void scalarAndStringResults() {
    assertThat(instant("1 + 2", 0).value()).isEqualTo(new Value.Scalar(0, 3));
    assertThat(instant("\"hello\"", 5000).value()).isEqualTo(new Value.StringValue(5000, "hello"));
  }

  @Test
  void rangeQueryIsSortedAndDropsNames() {
    QueryResult r = engine.rangeQuery(store, PromQLParser.parse("rate(requests_total[1m])"), 120_000, 600_000, 60_000);
    Value.Matrix m = (Value.Matrix) r.value();
    assertThat(m.series()).extracting(FloatSeries::metric)
        .containsExactly(Labels.of("pod", "p0"), Labels.of("pod", "p1"), Labels.of("pod", "p2"));
    assertThat(m.series().get(1).size()).isEqualTo(9);
    assertThat(m.series().get(1).valueAt(0)).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.infos()).isEmpty();
  }

  @Test
  void annotationsAreValues() {
    QueryResult r = instant("rate(up[5m])", 600_000);
    assertThat(r.infos()).containsExactly(
        "PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"up\"");
  }

  @Test
  void manyToManyIsAnExecutionError() {
    assertThatThrownBy(() -> instant("requests_total + on() up", 600_000))
        .isInstanceOfSatisfying(EngineException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.EXECUTION);
          assertThat(e.getMessage()).startsWith("found duplicate series for the match group {} on the right hand-side");
        });
  }

  @Test
  void tooManyPointsIsBadData() {
    assertThatThrownBy(() -> engine.rangeQuery(store, PromQLParser.parse("up"), 0, 11_001_000, 1000))
        .isInstanceOfSatisfying(EngineException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.BAD_DATA);
          assertThat(e.getMessage()).isEqualTo("exceeded maximum resolution of 11,000 points per timeseries. "
              + "Try decreasing the query resolution (?step=XX)");
        });
    assertThat(engine.rangeQuery(store, PromQLParser.parse("up"), 0, 11_000_000, 1000).value())
        .isInstanceOf(Value.Matrix.class);
  }

  @Test
  void maxSamplesIsAnExecutionError() {
    Engine small = Engine.builder().maxSamples(10).build();
    assertThatThrownBy(() -> small.rangeQuery(store, PromQLParser.parse("up"), 0, 600_000, 15_000))
        .isInstanceOfSatisfying(EngineException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.EXECUTION);
          assertThat(e.getMessage()).isEqualTo(
              "query processing would load too many samples into memory in query execution");
        });
  }

  @Test
  void cancellationAndTimeout() {
    AtomicBoolean cancelled = new AtomicBoolean(true);
    assertThatThrownBy(() -> engine.instantQuery(store, PromQLParser.parse("up"), 0, cancelled::get))
        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.CANCELED));
    Engine expired = Engine.builder().timeout(Duration.ofNanos(1)).build();
    assertThatThrownBy(() -> expired.instantQuery(store, PromQLParser.parse("sum(up)"), 0))
        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.TIMEOUT));
  }

  /** I/O first: one querier per query, one select per selector, over the range the selector needs. */
  @Test
  void fetchesOnceWithTheSelectorsRange() {
    List<long[]> queriers = new ArrayList<>();
    AtomicLong selects = new AtomicLong();
    Queryable counting = (mint, maxt) -> {
      queriers.add(new long[] {mint, maxt});
      Querier q = store.querier(mint, maxt);
      return new Querier() {
        @Override
        public SeriesSet select(boolean sort, SelectHints hints, List<LabelMatcher> matchers) {
          selects.incrementAndGet();
          return q.select(sort, hints, matchers);
        }

        @Override
        public List<String> labelValues(String name, List<LabelMatcher> matchers) {
          return q.labelValues(name, matchers);
        }

        @Override
        public List<String> labelNames(List<LabelMatcher> matchers) {
          return q.labelNames(matchers);
        }
      };
    };
    engine.rangeQuery(counting, PromQLParser.parse("sum(rate(requests_total[2m] offset 1m)) / sum(up)"),
        300_000, 600_000, 60_000);
    assertThat(queriers).hasSize(1);
    assertThat(selects.get()).isEqualTo(2);
    // rate: 300s - 1m offset - 2m range + 1ms; up: 300s - 5m lookback + 1ms.
    assertThat(queriers.get(0)).containsExactly(1, 600_000);
  }

  @Test
  void plannedSelectsNameEveryRangeUpFront() {
    List<Engine.PlannedSelect> plan = engine.plannedSelects(
        PromQLParser.parse("rate(requests_total[2m] offset 1m) / on() group_left max_over_time(up[10m:1m] @ 100)"),
        300_000, 600_000, 60_000);
    assertThat(plan).hasSize(2);
    assertThat(plan.get(0).hints().start()).isEqualTo(300_000 - 60_000 - 120_000 + 1);
    assertThat(plan.get(0).hints().end()).isEqualTo(600_000 - 60_000);
    assertThat(plan.get(0).hints().func()).isEqualTo("rate");
    // The subquery is pinned at 100s: 10m back from there, minus the 5m lookback.
    assertThat(plan.get(1).hints().start()).isEqualTo(100_000 - 600_000 - 300_000 + 1);
    assertThat(plan.get(1).hints().end()).isEqualTo(100_000);
    assertThat(plan.get(1).hints().step()).isEqualTo(60_000);
  }

  /** Native histogram samples are left out with a warning rather than failing the whole query. */
  @Test
  void histogramSamplesAreLeftOutWithAWarning() {
    Series mixed = new Series() {
      @Override
      public Labels labels() {
        return Labels.of("__name__", "up", "pod", "h");
      }

      @Override
      public SampleIterator iterator() {
        // A histogram at 0s, a float 7 at 1s.
        return new SampleIterator() {
          int i = -1;

          private ValueType at() {
            return i == 0 ? ValueType.HISTOGRAM : i == 1 ? ValueType.FLOAT : ValueType.NONE;
          }

          @Override
          public ValueType next() {
            i++;
            return at();
          }

          @Override
          public ValueType seek(long t) {
            if (i < 0) {
              i = 0;
            }
            while (at() != ValueType.NONE && timestamp() < t) {
              i++;
            }
            return at();
          }

          @Override
          public long timestamp() {
            return i * 1000L;
          }

          @Override
          public double value() {
            return 7;
          }
        };
      }
    };
    Queryable q = (mint, maxt) -> new Querier() {
      @Override
      public SeriesSet select(boolean sort, SelectHints hints, List<LabelMatcher> matchers) {
        return SeriesSets.of(List.of(mixed));
      }

      @Override
      public List<String> labelValues(String name, List<LabelMatcher> matchers) {
        return List.of();
      }

      @Override
      public List<String> labelNames(List<LabelMatcher> matchers) {
        return List.of();
      }
    };
    QueryResult r = engine.instantQuery(q, PromQLParser.parse("up"), 2000);
    assertThat(((Value.Vector) r.value()).samples()).singleElement()
        .satisfies(s -> assertThat(s.value()).isEqualTo(7));
    assertThat(r.warnings()).singleElement().asString()
        .startsWith("PromQL warning: native histogram samples are not supported yet");
  }

  /**
   * Coarse range queries read only their windows (seeking over the gaps); every step must still equal the
   * instant query at that time, which reads its whole range.
   */
  @Test
  void coarseRangeQueriesAgreeWithInstantQueries() {
    for (String q : List.of("rate(requests_total[1m])", "requests_total offset 30s", "up",
        "max_over_time(requests_total[45s] offset 15s)")) {
      Value.Matrix m = (Value.Matrix) engine.rangeQuery(store, PromQLParser.parse(q), 90_000, 600_000, 170_000)
          .value();
      for (FloatSeries s : m.series()) {
        for (int i = 0; i < s.size(); i++) {
          Value.Vector v = (Value.Vector) instant(q, s.timestampAt(i)).value();
          double expected = v.samples().stream().filter(x -> x.metric().equals(s.metric())).findFirst()
              .orElseThrow().value();
          assertThat(s.valueAt(i)).as(q + " at " + s.timestampAt(i)).isEqualTo(expected);
        }
      }
      assertThat(m.series()).as(q).isNotEmpty();
    }
  }

  /**
   * absent()'s fetch stops decoding series once every step has a point: the answers equal those of the
   * general path (absent(x * 1) reads and evaluates every series; both have no labels), for instant and
   * range queries over series that come and go, go stale, and with offset and @, and it decodes fewer series.
   */
  @Test
  void absentStopsReadingOnceEveryStepHasAPoint() {
    MemoryStorage s = new MemoryStorage();
    for (int i = 0; i < 40; i++) {
      Labels l = Labels.of("__name__", "flaky", "pod", "p" + i);
      for (int t = 0; t <= 3600; t += 15) {
        // Each series lives for a stretch of the hour; around 30 min only stale markers and then nothing.
        boolean alive = (t / 300 + i) % 4 != 0 && (t < 1700 || t > 2100);
        if (alive) {
          s.append(l, t * 1000L, i);
        } else if (t >= 1700 && t <= 1710) {
          s.append(l, t * 1000L, io.promgate.model.StaleNaN.VALUE);
        }
      }
      Labels always = Labels.of("__name__", "steady", "pod", "p" + i);
      for (int t = 0; t <= 3600; t += 15) {
        s.append(always, t * 1000L, 1);
      }
    }
    AtomicLong decoded = new AtomicLong();
    Queryable counting = (mint, maxt) -> {
      Querier q = s.querier(mint, maxt);
      return new Querier() {
        @Override
        public SeriesSet select(boolean sort, SelectHints hints, List<LabelMatcher> matchers) {
          List<Series> out = new ArrayList<>();
          SeriesSet set = q.select(sort, hints, matchers);
          while (set.next()) {
            Series x = set.at();
            out.add(new Series() {
              @Override
              public Labels labels() {
                return x.labels();
              }

              @Override
              public SampleIterator iterator() {
                decoded.incrementAndGet();
                return x.iterator();
              }
            });
          }
          return SeriesSets.of(out);
        }

        @Override
        public List<String> labelValues(String name, List<LabelMatcher> matchers) {
          return q.labelValues(name, matchers);
        }

        @Override
        public List<String> labelNames(List<LabelMatcher> matchers) {
          return q.labelNames(matchers);
        }
      };
    };
    String[] selectors = {"flaky", "steady", "missing", "flaky offset 10m", "flaky @ 1800", "steady @ 5000",
        "-flaky", "(steady)"};
    for (String sel : selectors) {
      for (long t : new long[] {0, 600_000, 1_750_000, 1_900_000, 2_200_000, 3_700_000, 4_000_000}) {
        decoded.set(0);
        Value fast = engine.instantQuery(counting, PromQLParser.parse("absent(" + sel + ")"), t).value();
        long fastReads = decoded.get();
        decoded.set(0);
        Value general = engine.instantQuery(counting, PromQLParser.parse("absent(" + sel + " * 1)"), t).value();
        assertThat(render(fast)).as("%s at %d", sel, t).isEqualTo(render(general));
        assertThat(fastReads).as("%s at %d", sel, t).isLessThanOrEqualTo(decoded.get());
      }
      for (long step : new long[] {15_000, 60_000, 700_000}) {
        Value fast = engine.rangeQuery(counting, PromQLParser.parse("absent(" + sel + ")"), 0, 4_000_000, step)
            .value();
        Value general = engine.rangeQuery(counting, PromQLParser.parse("absent(" + sel + " * 1)"), 0, 4_000_000,
            step).value();
        assertThat(render(fast)).as("%s step %d", sel, step).isEqualTo(render(general));
      }
    }
    decoded.set(0);
    assertThat(((Value.Vector) engine.instantQuery(counting, PromQLParser.parse("absent(steady)"), 600_000).value())
        .samples()).isEmpty();
    assertThat(decoded.get()).isEqualTo(1);
    // Still every series when a step is never covered (the answer depends on all of them).
    decoded.set(0);
    engine.instantQuery(counting, PromQLParser.parse("absent(flaky)"), 1_900_000);
    assertThat(decoded.get()).isEqualTo(40);
  }

  private static String render(Value v) {
    StringBuilder sb = new StringBuilder();
    if (v instanceof Value.Vector vec) {
      for (Sample x : vec.samples()) {
        sb.append(x.metric()).append('=').append(x.value()).append('@').append(x.timestamp()).append(';');
      }
    } else if (v instanceof Value.Matrix m) {
      for (FloatSeries x : m.series()) {
        sb.append(x.metric()).append(':');
        for (int i = 0; i < x.size(); i++) {
          sb.append(x.valueAt(i)).append('@').append(x.timestampAt(i)).append(',');
        }
        sb.append(';');
      }
    } else {
      sb.append(v);
    }
    return sb.toString();
  }
}
