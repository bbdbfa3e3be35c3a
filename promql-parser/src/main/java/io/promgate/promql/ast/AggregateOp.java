package io.promgate.promql.ast;

public enum AggregateOp {
  SUM("sum"), AVG("avg"), COUNT("count"), MIN("min"), MAX("max"), GROUP("group"), STDDEV("stddev"),
  STDVAR("stdvar"), TOPK("topk"), BOTTOMK("bottomk"), QUANTILE("quantile"), COUNT_VALUES("count_values"),
  LIMITK("limitk"), LIMIT_RATIO("limit_ratio");

  private final String keyword;

  AggregateOp(String keyword) {
    this.keyword = keyword;
  }

  public String keyword() {
    return keyword;
  }

  /** Whether the aggregation takes a parameter before the vector. */
  public boolean hasParam() {
    return this == TOPK || this == BOTTOMK || this == QUANTILE || this == COUNT_VALUES || this == LIMITK
        || this == LIMIT_RATIO;
  }

  /** Whether the aggregation is experimental in Prometheus 3.5 (needs the feature flag there). */
  public boolean experimental() {
    return this == LIMITK || this == LIMIT_RATIO;
  }

  public static AggregateOp fromKeyword(String s) {
    for (AggregateOp op : values()) {
      if (op.keyword.equalsIgnoreCase(s)) {
        return op;
      }
    }
    return null;
  }
}
