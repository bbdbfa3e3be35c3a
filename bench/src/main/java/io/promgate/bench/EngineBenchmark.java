package io.promgate.bench;

import io.promgate.model.Labels;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.engine.Engine;
import io.promgate.promql.engine.QueryResult;
import io.promgate.promql.engine.storage.MemoryStorage;
import io.promgate.promql.parser.PromQLParser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hot paths of the PromQL engine over an in-memory store: 1,000 counter series (10 jobs x 100 instances)
 * and 10 classic histograms of 12 buckets per job, 2 h at 15 s; range queries over the last hour at a 1 m
 * step, as a dashboard asks. Run with {@code -prof gc} for bytes allocated per op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class EngineBenchmark {
  private static final long SCRAPE = 15_000;
  private static final long END = 2 * 3600_000;

  @Param({"1000"})
  public int series;

  private MemoryStorage store;
  private Engine engine;
  private Expr rate;
  private Expr sumBy;
  private Expr histogramQuantile;
  private Expr topk;
  private Expr binaryMatching;
  private Expr subquery;

  @Setup
  public void setup() {
    store = new MemoryStorage();
    int jobs = 10;
    for (int s = 0; s < series; s++) {
      Labels l = Labels.of("__name__", "http_requests_total", "job", "job" + (s % jobs), "instance", "i" + s);
      Labels up = Labels.of("__name__", "up", "job", "job" + (s % jobs), "instance", "i" + s);
      double v = 0;
      for (long t = 0; t <= END; t += SCRAPE) {
        v += (s % 7) + 1;
        store.append(l, t, v);
        store.append(up, t, 1);
      }
    }
    String[] les = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"};
    for (int j = 0; j < jobs; j++) {
      for (int h = 0; h < 10; h++) {
        for (int b = 0; b < les.length; b++) {
          Labels l = Labels.of("__name__", "request_duration_seconds_bucket", "job", "job" + j, "instance", "h" + h,
              "le", les[b]);
          double v = 0;
          for (long t = 0; t <= END; t += SCRAPE) {
            v += b + 1;
            store.append(l, t, v);
          }
        }
      }
    }
    engine = Engine.builder().build();
    rate = PromQLParser.parse("rate(http_requests_total[5m])");
    sumBy = PromQLParser.parse("sum by (job) (rate(http_requests_total[5m]))");
    histogramQuantile = PromQLParser.parse(
        "histogram_quantile(0.9, sum by (job, le) (rate(request_duration_seconds_bucket[5m])))");
    topk = PromQLParser.parse("topk(5, rate(http_requests_total[5m]))");
    binaryMatching = PromQLParser.parse("http_requests_total * on(job, instance) group_left() up");
    subquery = PromQLParser.parse("max_over_time(sum by (job) (rate(http_requests_total[5m]))[30m:1m])");
  }

  private QueryResult range(Expr e) {
    return engine.rangeQuery(store, e, END - 3600_000, END, 60_000);
  }

  @Benchmark
  public QueryResult rateOverManySeries() {
    return range(rate);
  }

  @Benchmark
  public QueryResult sumByJob() {
    return range(sumBy);
  }

  @Benchmark
  public QueryResult histogramQuantile() {
    return range(histogramQuantile);
  }

  @Benchmark
  public QueryResult topk() {
    return range(topk);
  }

  @Benchmark
  public QueryResult binaryOpWithMatching() {
    return range(binaryMatching);
  }

  @Benchmark
  public QueryResult subquery() {
    return range(subquery);
  }
}
