package io.promgate.promql.parser;

import io.promgate.promql.ast.ExprType;
import io.promgate.promql.ast.FunctionSignature;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every function of Prometheus 3.5 (promql/parser/functions.go at v3.5.0): argument types, variadic
 * rule, return type and experimental flag. The engine keeps its implementations in a second table keyed
 * by the same names; a test checks both tables have the same keys.
 */
public final class Functions {
  private static final ExprType V = ExprType.VECTOR;
  private static final ExprType M = ExprType.MATRIX;
  private static final ExprType S = ExprType.SCALAR;
  private static final ExprType STR = ExprType.STRING;
  private static final Map<String, FunctionSignature> TABLE = new TreeMap<>();

  static {
    add("abs", 0, V, false, V);
    add("absent", 0, V, false, V);
    add("absent_over_time", 0, V, false, M);
    add("acos", 0, V, false, V);
    add("acosh", 0, V, false, V);
    add("asin", 0, V, false, V);
    add("asinh", 0, V, false, V);
    add("atan", 0, V, false, V);
    add("atanh", 0, V, false, V);
    add("avg_over_time", 0, V, false, M);
    add("ceil", 0, V, false, V);
    add("changes", 0, V, false, M);
    add("clamp", 0, V, false, V, S, S);
    add("clamp_max", 0, V, false, V, S);
    add("clamp_min", 0, V, false, V, S);
    add("cos", 0, V, false, V);
    add("cosh", 0, V, false, V);
    add("count_over_time", 0, V, false, M);
    add("days_in_month", 1, V, false, V);
    add("day_of_month", 1, V, false, V);
    add("day_of_week", 1, V, false, V);
    add("day_of_year", 1, V, false, V);
    add("deg", 0, V, false, V);
    add("delta", 0, V, false, M);
    add("deriv", 0, V, false, M);
    add("exp", 0, V, false, V);
    add("floor", 0, V, false, V);
    add("histogram_avg", 0, V, false, V);
    add("histogram_count", 0, V, false, V);
    add("histogram_sum", 0, V, false, V);
    add("histogram_stddev", 0, V, false, V);
    add("histogram_stdvar", 0, V, false, V);
    add("histogram_fraction", 0, V, false, S, S, V);
    add("histogram_quantile", 0, V, false, S, V);
    add("double_exponential_smoothing", 0, V, true, M, S, S);
    add("hour", 1, V, false, V);
    add("idelta", 0, V, false, M);
    add("increase", 0, V, false, M);
    add("info", 1, V, true, V, V);
    add("irate", 0, V, false, M);
    add("label_replace", 0, V, false, V, STR, STR, STR, STR);
    add("label_join", -1, V, false, V, STR, STR, STR);
    add("last_over_time", 0, V, false, M);
    add("ln", 0, V, false, V);
    add("log10", 0, V, false, V);
    add("log2", 0, V, false, V);
    add("mad_over_time", 0, V, true, M);
    add("max_over_time", 0, V, false, M);
    add("min_over_time", 0, V, false, M);
    add("ts_of_max_over_time", 0, V, true, M);
    add("ts_of_min_over_time", 0, V, true, M);
    add("ts_of_last_over_time", 0, V, true, M);
    add("minute", 1, V, false, V);
    add("month", 1, V, false, V);
    add("pi", 0, S, false);
    add("predict_linear", 0, V, false, M, S);
    add("present_over_time", 0, V, false, M);
    add("quantile_over_time", 0, V, false, S, M);
    add("rad", 0, V, false, V);
    add("rate", 0, V, false, M);
    add("resets", 0, V, false, M);
    add("round", 1, V, false, V, S);
    add("scalar", 0, S, false, V);
    add("sgn", 0, V, false, V);
    add("sin", 0, V, false, V);
    add("sinh", 0, V, false, V);
    add("sort", 0, V, false, V);
    add("sort_desc", 0, V, false, V);
    add("sort_by_label", -1, V, true, V, STR);
    add("sort_by_label_desc", -1, V, true, V, STR);
    add("sqrt", 0, V, false, V);
    add("stddev_over_time", 0, V, false, M);
    add("stdvar_over_time", 0, V, false, M);
    add("sum_over_time", 0, V, false, M);
    add("tan", 0, V, false, V);
    add("tanh", 0, V, false, V);
    add("time", 0, S, false);
    add("timestamp", 0, V, false, V);
    add("vector", 0, V, false, S);
    add("year", 1, V, false, V);
  }

  private Functions() {
  }

  private static void add(String name, int variadic, ExprType returns, boolean experimental, ExprType... args) {
    TABLE.put(name, new FunctionSignature(name, List.of(args), variadic, returns, experimental));
  }

  /** @return the signature, or null for an unknown name */
  public static FunctionSignature get(String name) {
    return TABLE.get(name);
  }

  /** All functions, sorted by name. */
  public static Collection<FunctionSignature> all() {
    return Collections.unmodifiableCollection(TABLE.values());
  }
}
