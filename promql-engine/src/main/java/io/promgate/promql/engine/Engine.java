package io.promgate.promql.engine;

import io.promgate.model.Labels;
import io.promgate.model.Queryable;
import io.promgate.promql.ast.Expr;
import io.promgate.promql.ast.ExprType;
import io.promgate.promql.ast.StringLiteral;
import io.promgate.promql.ast.VectorSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongUnaryOperator;

/**
 * The PromQL engine: evaluates a parsed expression at an instant or over a range against a
 * {@link Queryable}, with Prometheus 3.5 semantics. Thread-safe and stateless between queries; every query
 * fetches its data first ({@link SeriesFetcher}) and then evaluates in memory on the caller's thread.
 *
 * <pre>{@code
 * Engine engine = Engine.builder().lookbackDelta(Duration.ofMinutes(5)).build();
 * QueryResult r = engine.instantQuery(store, PromQLParser.parse("rate(x[5m])"), nowMillis);
 * }</pre>
 */
public final class Engine {
  /** Prometheus' limit on points per series of a range query. */
  public static final int MAX_POINTS_PER_SERIES = 11_000;

  private final long lookbackMillis;
  private final long maxSamples;
  private final Duration timeout;
  private final LongUnaryOperator noStepSubqueryInterval;

  private final Builder options;

  private Engine(Builder b) {
    this.options = b;
    this.lookbackMillis = b.lookback.toMillis();
    this.maxSamples = b.maxSamples;
    this.timeout = b.timeout;
    long interval = b.defaultSubqueryStep.toMillis();
    this.noStepSubqueryInterval = range -> interval;
  }

  /** This engine with another lookback delta, for the API's per-request {@code lookback_delta}. */
  public Engine withLookbackDelta(Duration lookback) {
    return builder().lookbackDelta(lookback).maxSamples(options.maxSamples).timeout(options.timeout)
        .defaultSubqueryStep(options.defaultSubqueryStep).build();
  }

  /** This engine with other limits, for per-tenant query limits. */
  public Engine withLimits(long maxSamples, Duration timeout) {
    return builder().lookbackDelta(options.lookback).maxSamples(maxSamples).timeout(timeout)
        .defaultSubqueryStep(options.defaultSubqueryStep).build();
  }

  public long maxSamples() {
    return maxSamples;
  }

  public Duration timeout() {
    return timeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options; defaults are Prometheus' (5m lookback, 50M samples, 2m timeout, 1m default subquery step). */
  public static final class Builder {
    private Duration lookback = Duration.ofMinutes(5);
    private long maxSamples = 50_000_000;
    private Duration timeout = Duration.ofMinutes(2);
    private Duration defaultSubqueryStep = Duration.ofMinutes(1);

    public Builder lookbackDelta(Duration d) {
      this.lookback = d;
      return this;
    }

    public Builder maxSamples(long n) {
      this.maxSamples = n;
      return this;
    }

    public Builder timeout(Duration d) {
      this.timeout = d;
      return this;
    }

    /** The step of subqueries written without one ({@code x[1h:]}): Prometheus' global evaluation interval. */
    public Builder defaultSubqueryStep(Duration d) {
      this.defaultSubqueryStep = d;
      return this;
    }

    public Engine build() {
      return new Engine(this);
    }
  }

  /**
   * One select the engine will issue for a query: the selector (its matchers) and the hints, whose start and
   * end are the exact range of raw data it reads (offset, {@code @}, lookback or range, subqueries included).
   */
  public record PlannedSelect(VectorSelector selector, io.promgate.model.SelectHints hints) {
  }

  /**
   * The selects an evaluation of expr over [start, end] with this step (0 for instant queries) will issue,
   * so that a federating caller can start every backend request at once before evaluating.
   */
  public List<PlannedSelect> plannedSelects(Expr expr, long startMillis, long endMillis, long stepMillis) {
    return new SeriesFetcher(startMillis, endMillis, stepMillis, lookbackMillis, noStepSubqueryInterval).plan(expr);
  }

  /**
   * The selector a call reads besides its arguments, or null: {@code info()} reads its info metrics. For
   * callers that fetch before evaluating ({@code SelectorRanges.of(..., Engine::extraSelector)}), so that
   * what the engine will select is fetched too; equal calls give equal matchers.
   */
  public static VectorSelector extraSelector(io.promgate.promql.ast.Call call) {
    return call.function().name().equals("info") ? InfoFunction.infoSelector(call) : null;
  }

  public QueryResult instantQuery(Queryable queryable, Expr expr, long timeMillis) {
    return instantQuery(queryable, expr, timeMillis, null);
  }

  /** @param cancelled polled during evaluation; true ends the query with {@link ErrorType#CANCELED} */
  public QueryResult instantQuery(Queryable queryable, Expr expr, long timeMillis, BooleanSupplier cancelled) {
    return exec(queryable, expr, timeMillis, timeMillis, 0, cancelled);
  }

  public QueryResult rangeQuery(Queryable queryable, Expr expr, long startMillis, long endMillis, long stepMillis) {
    return rangeQuery(queryable, expr, startMillis, endMillis, stepMillis, null);
  }

  public QueryResult rangeQuery(Queryable queryable, Expr expr, long startMillis, long endMillis, long stepMillis,
      BooleanSupplier cancelled) {
    if (stepMillis <= 0) {
      throw new EngineException(ErrorType.BAD_DATA,
          "zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    if (endMillis < startMillis) {
      throw new EngineException(ErrorType.BAD_DATA, "end timestamp must not be before start time");
    }
    if ((endMillis - startMillis) / stepMillis > MAX_POINTS_PER_SERIES) {
      throw new EngineException(ErrorType.BAD_DATA, "exceeded maximum resolution of 11,000 points per timeseries. "
          + "Try decreasing the query resolution (?step=XX)");
    }
    ExprType t = expr.type();
    if (t != ExprType.SCALAR && t != ExprType.VECTOR) {
      throw new EngineException(ErrorType.BAD_DATA, "invalid expression type \"" + t.promName()
          + "\" for range query, must be Scalar or instant Vector");
    }
    return exec(queryable, expr, startMillis, endMillis, stepMillis, cancelled);
  }

  private QueryResult exec(Queryable queryable, Expr expr, long start, long end, long step,
      BooleanSupplier cancelled) {
    Evaluator.Limits limits = new Evaluator.Limits(maxSamples,
        timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos(), !timeout.isZero(), cancelled);
    Annotations annotations = new Annotations();
    try {
      SeriesFetcher fetcher = new SeriesFetcher(start, end, step, lookbackMillis, noStepSubqueryInterval);
      Map<VectorSelector, List<SelectedSeries>> data = fetcher.fetch(expr, queryable, annotations, limits);
      Evaluator.Shared shared = new Evaluator.Shared(data, annotations, limits, lookbackMillis, start, end,
          noStepSubqueryInterval, StepInvariance.of(expr));
      shared.infoSelectors = fetcher.infoSelectors;
      Expr root = Evaluator.unwrap(expr);
      if (root instanceof StringLiteral s) {
        return new QueryResult(new Value.StringValue(start, s.value()), annotations.warnings(), annotations.infos());
      }
      Evaluator ev = new Evaluator(shared, start, end, step == 0 ? 1 : step);
      List<FloatSeries> mat = ev.eval(expr);
      cleanupMetricLabels(mat);
      Value value;
      if (step == 0) {
        value = switch (expr.type()) {
          case SCALAR -> new Value.Scalar(start, mat.isEmpty() || mat.get(0).n == 0 ? Double.NaN : mat.get(0).f[0]);
          case VECTOR -> {
            List<Sample> v = new ArrayList<>(mat.size());
            for (FloatSeries s : mat) {
              v.add(new Sample(s.metric, s.f[0], start, false));
            }
            yield new Value.Vector(v);
          }
          default -> {
            mat.sort((a, b) -> a.metric.compareTo(b.metric));
            yield new Value.Matrix(mat);
          }
        };
      } else {
        mat.sort((a, b) -> a.metric.compareTo(b.metric));
        value = new Value.Matrix(mat);
      }
      return new QueryResult(value, annotations.warnings(), annotations.infos());
    } catch (EngineException e) {
      if (e.warnings().isEmpty() && !annotations.warnings().isEmpty()) {
        throw new EngineException(e.type(), e.getMessage(), annotations.warnings());
      }
      throw e;
    } catch (StackOverflowError e) {
      throw EngineException.execution("query too deeply nested");
    }
  }

  /** Delayed name removal, done once at the end; then label sets must be distinct. */
  private static void cleanupMetricLabels(List<FloatSeries> mat) {
    for (FloatSeries s : mat) {
      if (s.dropName) {
        s.metric = s.metric.without(BinaryOps.METADATA_LABELS);
        s.dropName = false;
      }
    }
    if (mat.size() > 1) {
      Set<Labels> seen = new HashSet<>();
      for (FloatSeries s : mat) {
        if (!seen.add(s.metric)) {
          throw EngineException.execution("vector cannot contain metrics with the same labelset");
        }
      }
    }
  }
}
