package io.promgate.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.promql.ast.ExprType;
import io.promgate.promql.ast.FunctionSignature;
import org.junit.jupiter.api.Test;

class FunctionsTest {
  @Test
  void tableHoldsEveryPrometheus35Function() {
    assertThat(Functions.all()).hasSize(80);
    assertThat(Functions.get("nonexistent")).isNull();
    FunctionSignature labelJoin = Functions.get("label_join");
    assertThat(labelJoin.variadic()).isEqualTo(-1);
    assertThat(labelJoin.argTypes()).containsExactly(ExprType.VECTOR, ExprType.STRING, ExprType.STRING, ExprType.STRING);
    assertThat(Functions.get("info").experimental()).isTrue();
    assertThat(Functions.get("double_exponential_smoothing").argTypes())
        .containsExactly(ExprType.MATRIX, ExprType.SCALAR, ExprType.SCALAR);
    assertThat(Functions.get("time").returnType()).isEqualTo(ExprType.SCALAR);
    assertThat(Functions.get("ts_of_max_over_time")).isNotNull();
  }

  @Test
  void everyFunctionParsesWithItsMinimalArguments() {
    for (FunctionSignature f : Functions.all()) {
      StringBuilder q = new StringBuilder(f.name()).append('(');
      int n = f.variadic() == 0 ? f.argTypes().size() : f.argTypes().size() - 1;
      for (int i = 0; i < n; i++) {
        q.append(i > 0 ? ", " : "").append(switch (f.argTypes().get(i)) {
          case SCALAR -> "1";
          case STRING -> "\"s\"";
          case VECTOR -> i == 1 && f.name().equals("info") ? "{a=\"b\"}" : "up";
          case MATRIX -> "up[5m]";
        });
      }
      String query = q.append(')').toString();
      assertThat(PromQLParser.parse(query).type()).as(query).isEqualTo(f.returnType());
    }
  }
}
