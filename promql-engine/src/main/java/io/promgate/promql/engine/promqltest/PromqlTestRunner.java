package io.promgate.promql.engine.promqltest;

import io.promgate.model.Labels;
import io.promgate.promql.ast.AggregateExpr;
import io.promgate.promql.ast.BinaryExpr;
import io.promgate.promql.ast.Call;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.ast.MatrixSelector;
import io.promgate.promql.ast.ParenExpr;
import io.promgate.promql.ast.SubqueryExpr;
import io.promgate.promql.ast.UnaryExpr;
import io.promgate.promql.ast.VectorSelector;
import io.promgate.promql.engine.Engine;
import io.promgate.promql.engine.EngineException;
import io.promgate.promql.engine.FloatSeries;
import io.promgate.promql.engine.QueryResult;
import io.promgate.promql.engine.Sample;
import io.promgate.promql.engine.Value;
import io.promgate.promql.engine.storage.MemoryStorage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs promqltest scripts against the engine as Prometheus' reference runner does: experimental functions
 * on, 5m lookback, epsilon 1e-6, instant evals re-checked as one-step range queries and with {@code @}
 * pinned. Evals are skipped (and counted) when loaded data or the expected result holds a native histogram
 * sample, which the engine does not evaluate yet.
 *
 * <p>The gateway's {@code promgate promqltest FILE...} calls {@link #run(List, PrintStream)} and exits 1 when
 * {@link Result#failed()} is not zero.
 */
public final class PromqlTestRunner {
  /** All files' outcomes. */
  public record Result(List<FileResult> files) {
    public long passed() {
      return files.stream().mapToLong(FileResult::passed).sum();
    }

    public long failed() {
      return files.stream().mapToLong(FileResult::failed).sum();
    }

    public long skipped() {
      return files.stream().mapToLong(FileResult::skipped).sum();
    }

    public String summary() {
      return passed() + " passed, " + failed() + " failed, " + skipped() + " skipped";
    }
  }

  /** One file's outcomes; {@code error} is set when the file itself could not be read or parsed. */
  public record FileResult(Path file, List<EvalOutcome> outcomes, String error) {
    long count(EvalOutcome.Status s) {
      return outcomes.stream().filter(o -> o.status() == s).count();
    }

    public long passed() {
      return count(EvalOutcome.Status.PASSED);
    }

    public long failed() {
      return count(EvalOutcome.Status.FAILED) + (error != null ? 1 : 0);
    }

    public long skipped() {
      return count(EvalOutcome.Status.SKIPPED);
    }
  }

  private final Function<String, Expr> parser;
  private final Engine engine;

  /** A runner with promgate's PromQL parser. */
  public PromqlTestRunner() {
    this(io.promgate.promql.parser.PromQLParser::parse);
  }

  /** {@code [-v] FILE...}: runs the scripts, exits 1 when any eval failed ({@code -v} also lists skips). */
  public static void main(String[] args) {
    boolean verbose = false;
    List<Path> files = new ArrayList<>();
    for (String a : args) {
      if (a.equals("-v")) {
        verbose = true;
      } else {
        files.add(Path.of(a));
      }
    }
    PromqlTestRunner runner = new PromqlTestRunner();
    runner.verbose = verbose;
    Result r = runner.run(files, System.out);
    System.exit(r.failed() > 0 ? 1 : 0);
  }

  private boolean verbose;

  /** @param parser the PromQL parser: text to AST, throwing any RuntimeException for invalid queries */
  public PromqlTestRunner(Function<String, Expr> parser) {
    this.parser = parser;
    this.engine = Engine.builder().lookbackDelta(Duration.ofMinutes(5)).maxSamples(50_000_000)
        .timeout(Duration.ofSeconds(100)).defaultSubqueryStep(Duration.ofMinutes(1)).build();
  }

  /** Runs the files, printing to standard output. */
  public Result run(List<Path> files) {
    return run(files, System.out);
  }

  /** Runs the files, printing one line per file and the totals last. */
  public Result run(List<Path> files, PrintStream out) {
    List<FileResult> results = new ArrayList<>();
    for (Path f : files) {
      FileResult r = runFile(f);
      results.add(r);
      out.println(f + ": " + r.passed() + " passed, " + r.failed() + " failed, " + r.skipped() + " skipped"
          + (r.error() != null ? " (" + r.error() + ")" : ""));
      for (EvalOutcome o : r.outcomes()) {
        if (o.status() == EvalOutcome.Status.FAILED) {
          out.println("  FAIL " + o.id() + " " + o.expr() + ": " + o.message());
        } else if (verbose && o.status() == EvalOutcome.Status.SKIPPED) {
          out.println("  SKIP " + o.id() + " " + o.expr() + ": " + o.message());
        }
      }
    }
    Result res = new Result(results);
    out.println(res.summary());
    return res;
  }

  public FileResult runFile(Path file) {
    String name = file.getFileName().toString();
    Script script;
    try {
      script = Script.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return new FileResult(file, List.of(), "cannot read script: " + e.getMessage());
    }
    return new FileResult(file, runScript(name, script), null);
  }

  /** Executes a parsed script; one outcome per eval command, in order. */
  public List<EvalOutcome> runScript(String name, Script script) {
    List<EvalOutcome> outcomes = new ArrayList<>();
    MemoryStorage storage = new MemoryStorage();
    Set<Labels> histogramSeries = new HashSet<>();
    for (Script.Command c : script.commands) {
      if (c instanceof Script.Clear) {
        storage.clear();
        histogramSeries.clear();
      } else if (c instanceof Script.Load load) {
        load(storage, load, histogramSeries);
      } else if (c instanceof Script.Eval ev) {
        if (ev.expectsHistogram || readsHistograms(ev.expr, histogramSeries)) {
          outcomes.add(new EvalOutcome(name, ev.line, ev.expr, EvalOutcome.Status.SKIPPED, "native histograms"));
          continue;
        }
        String err;
        try {
          err = exec(storage, ev);
        } catch (RuntimeException e) {
          err = "unexpected " + e;
        }
        outcomes.add(new EvalOutcome(name, ev.line, ev.expr,
            err == null ? EvalOutcome.Status.PASSED : EvalOutcome.Status.FAILED, err));
      }
    }
    return outcomes;
  }

  /**
   * Appends a load block's float samples. Series with native histogram samples and the custom-bucket
   * histograms a {@code load_with_nhcb} block derives ({@code x_bucket}, {@code x_count}, {@code x_sum} →
   * {@code x}, as Prometheus loads them besides the floats) are recorded as histogram series.
   */
  private static void load(MemoryStorage storage, Script.Load load, Set<Labels> histogramSeries) {
    for (SeriesDescription sd : load.series()) {
      long ts = 0;
      for (Double v : sd.values()) {
        if (v == SeriesDescription.HISTOGRAM) {
          histogramSeries.add(sd.labels());
        } else if (v != SeriesDescription.OMITTED) {
          storage.append(sd.labels(), ts, v);
        }
        ts += load.gapMillis();
      }
      if (load.withNhcb()) {
        String name = sd.labels().metricName();
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
          if (name.endsWith(suffix)) {
            histogramSeries.add(sd.labels().toBuilder().set(Labels.METRIC_NAME,
                name.substring(0, name.length() - suffix.length())).del("le").build());
          }
        }
      }
    }
  }

  /** Whether any selector of the query matches a series that holds native histogram samples. */
  private boolean readsHistograms(String query, Set<Labels> histogramSeries) {
    if (histogramSeries.isEmpty()) {
      return false;
    }
    Expr expr;
    try {
      expr = parser.apply(query);
    } catch (RuntimeException e) {
      return false;
    }
    List<VectorSelector> selectors = new ArrayList<>();
    collectSelectors(expr, selectors);
    for (VectorSelector vs : selectors) {
      for (Labels l : histogramSeries) {
        if (vs.matchers().stream().allMatch(m -> m.matches(l.get(m.name())))) {
          return true;
        }
      }
    }
    return false;
  }

  private static void collectSelectors(Expr e, List<VectorSelector> out) {
    if (e instanceof VectorSelector vs) {
      out.add(vs);
    } else if (e instanceof MatrixSelector ms) {
      out.add(ms.selector());
    } else if (e instanceof SubqueryExpr sq) {
      collectSelectors(sq.expr(), out);
    } else if (e instanceof AggregateExpr a) {
      collectSelectors(a.expr(), out);
      if (a.param() != null) {
        collectSelectors(a.param(), out);
      }
    } else if (e instanceof BinaryExpr b) {
      collectSelectors(b.lhs(), out);
      collectSelectors(b.rhs(), out);
    } else if (e instanceof Call c) {
      c.args().forEach(a -> collectSelectors(a, out));
    } else if (e instanceof ParenExpr p) {
      collectSelectors(p.expr(), out);
    } else if (e instanceof UnaryExpr u) {
      collectSelectors(u.expr(), out);
    }
  }

  /** Runs one eval; null when it passed, else what went wrong. */
  private String exec(MemoryStorage storage, Script.Eval ev) {
    Expr expr;
    try {
      expr = parser.apply(ev.expr);
    } catch (RuntimeException e) {
      if (ev.isFail()) {
        return checkFailure(ev, e.getMessage());
      }
      return "parse error: " + e.getMessage();
    }
    if (ev.range) {
      QueryResult r;
      try {
        r = engine.rangeQuery(storage, expr, ev.start, ev.end, ev.step);
      } catch (EngineException e) {
        if (ev.isFail()) {
          return checkFailure(ev, e.getMessage());
        }
        return "error evaluating query: " + e.getMessage();
      }
      if (ev.isFail()) {
        return "expected error evaluating query but got none";
      }
      String a = checkAnnotations(ev, r);
      return a != null ? a : compare(ev, r.value());
    }
    String err = runInstant(storage, ev, expr, ev.start);
    if (err != null) {
      return err;
    }
    Expr pinned = AtModifierVariants.pin(expr, ev.start);
    if (pinned != null) {
      for (long t : AtModifierVariants.evalTimes(ev.start)) {
        err = runInstant(storage, ev, pinned, t);
        if (err != null) {
          return "with @ " + ev.start + " evaluated at " + t + ": " + err;
        }
      }
    }
    return null;
  }

  private String runInstant(MemoryStorage storage, Script.Eval ev, Expr expr, long t) {
    QueryResult r;
    try {
      r = engine.instantQuery(storage, expr, t);
    } catch (EngineException e) {
      if (ev.isFail()) {
        return checkFailure(ev, e.getMessage());
      }
      return "error evaluating query: " + e.getMessage();
    }
    if (ev.isFail()) {
      return "expected error evaluating query but got none";
    }
    String err = checkAnnotations(ev, r);
    if (err == null) {
      err = compare(ev, r.value());
    }
    if (err != null) {
      return err;
    }
    QueryResult rr;
    try {
      rr = engine.rangeQuery(storage, expr, t - 60_000, t + 60_000, 60_000);
    } catch (EngineException e) {
      return "error evaluating query in range mode: " + e.getMessage();
    }
    if (ev.isOrdered()) {
      return null;
    }
    List<FloatSeries> mat = ((Value.Matrix) rr.value()).series();
    List<Sample> vec = new ArrayList<>();
    for (FloatSeries s : mat) {
      for (int i = 0; i < s.size(); i++) {
        if (s.timestampAt(i) == t) {
          vec.add(new Sample(s.metric(), s.valueAt(i), t, false));
          break;
        }
      }
    }
    Value v = r.value() instanceof Value.Scalar ? new Value.Scalar(t, vec.isEmpty() ? Double.NaN
        : vec.get(0).value()) : new Value.Vector(vec);
    err = compare(ev, v);
    return err == null ? null : "range mode: " + err;
  }

  private static String checkFailure(Script.Eval ev, String actual) {
    return ResultCheck.failure(ev, actual);
  }

  private static String checkAnnotations(Script.Eval ev, QueryResult r) {
    return ResultCheck.annotations(ev, r);
  }

  private static String compare(Script.Eval ev, Value value) {
    return ResultCheck.result(ev, value);
  }
}
