package io.promgate.promql.engine;

import io.promgate.model.Labels;
import io.promgate.promql.ast.Call;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * label_replace and label_join: they rewrite whole series once, not step by step. Writing
 * {@code __name__} clears the delayed name-removal mark, as in Prometheus.
 */
final class LabelFunctions {
  private LabelFunctions() {
  }

  static List<FloatSeries> labelReplace(Evaluator ev, Call c) {
    String dst = FunctionCalls.stringArg(c, 1);
    String repl = FunctionCalls.stringArg(c, 2);
    String src = FunctionCalls.stringArg(c, 3);
    String regexStr = FunctionCalls.stringArg(c, 4);
    Pattern regex;
    try {
      regex = Pattern.compile("^(?s:" + GoRegex.toJava(regexStr) + ")$");
    } catch (PatternSyntaxException e) {
      throw EngineException.execution("invalid regular expression in label_replace(): " + regexStr);
    }
    if (!LabelNames.isValid(dst)) {
      throw EngineException.execution("invalid destination label name in label_replace(): " + dst);
    }
    List<FloatSeries> matrix = ev.eval(c.args().get(0));
    for (FloatSeries s : matrix) {
      String srcVal = s.metric.get(src);
      Matcher m = regex.matcher(srcVal);
      if (m.matches()) {
        String res = GoRegex.expand(repl, m);
        s.metric = s.metric.toBuilder().set(dst, res).build();
        if (dst.equals(Labels.METRIC_NAME)) {
          s.dropName = false;
        }
      }
    }
    FunctionCalls.checkDistinct(matrix);
    return matrix;
  }

  static List<FloatSeries> labelJoin(Evaluator ev, Call c) {
    String dst = FunctionCalls.stringArg(c, 1);
    String sep = FunctionCalls.stringArg(c, 2);
    List<String> srcs = new ArrayList<>();
    for (int i = 3; i < c.args().size(); i++) {
      String src = FunctionCalls.stringArg(c, i);
      if (!LabelNames.isValid(src)) {
        throw EngineException.execution("invalid source label name in label_join(): " + src);
      }
      srcs.add(src);
    }
    if (!LabelNames.isValid(dst)) {
      throw EngineException.execution("invalid destination label name in label_join(): " + dst);
    }
    List<FloatSeries> matrix = ev.eval(c.args().get(0));
    for (FloatSeries s : matrix) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < srcs.size(); i++) {
        if (i > 0) {
          sb.append(sep);
        }
        sb.append(s.metric.get(srcs.get(i)));
      }
      s.metric = s.metric.toBuilder().set(dst, sb.toString()).build();
      if (dst.equals(Labels.METRIC_NAME)) {
        s.dropName = false;
      }
    }
    FunctionCalls.checkDistinct(matrix);
    return matrix;
  }
}
