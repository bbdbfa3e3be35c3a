package io.promgate.bench;

import io.promgate.promql.ast.Expr;
import io.promgate.promql.parser.Printer;
import io.promgate.promql.parser.PromQLParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parses per second over 60 Grafana-dashboard-style queries (grafana-queries.txt): rate/sum by,
 * histogram_quantile, topk, label_replace, vector matching, subqueries, offsets, UTF-8 names.
 * Scores are per query (OperationsPerInvocation), so "ops/s" reads as parses/s.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar ParserBenchmark -f 1 -wi 2 -i 3 -r 2s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParserBenchmark {
  private static final int QUERIES = 60;

  private List<String> queries;
  private List<Expr> parsed;

  @Setup
  public void load() throws IOException {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        ParserBenchmark.class.getResourceAsStream("/grafana-queries.txt"), StandardCharsets.UTF_8))) {
      queries = r.lines().filter(l -> !l.isBlank()).toList();
    }
    if (queries.size() != QUERIES) {
      throw new IllegalStateException("expected " + QUERIES + " queries, got " + queries.size());
    }
    parsed = queries.stream().map(PromQLParser::parse).toList();
  }

  @Benchmark
  @OperationsPerInvocation(QUERIES)
  public void parse(Blackhole bh) {
    for (int i = 0; i < QUERIES; i++) {
      bh.consume(PromQLParser.parse(queries.get(i)));
    }
  }

  @Benchmark
  @OperationsPerInvocation(QUERIES)
  public void print(Blackhole bh) {
    for (int i = 0; i < QUERIES; i++) {
      bh.consume(Printer.print(parsed.get(i)));
    }
  }
}
