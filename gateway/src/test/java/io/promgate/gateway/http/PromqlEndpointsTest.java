package io.promgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.promql.parser.PromQLParser;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromqlEndpointsTest {
  @Test
  void goJsonEscapesLikeGo() {
    assertThat(GoJson.write("a<b>&\"\\\n\t\u0001\u2028é")).isEqualTo("\"a\\u003cb\\u003e\\u0026\\\"\\\\\\n\\t\\u0001\\u2028é\"");
    Map<String, Object> m = new HashMap<>();
    m.put("z", 1L);
    m.put("a", null);
    m.put("m", Arrays.asList(true, "x"));
    assertThat(GoJson.write(m)).isEqualTo("{\"a\":null,\"m\":[true,\"x\"],\"z\":1}");
  }

  @Test
  void numbersAsGoFormatFloatF() {
    assertThat(AstJson.goFloat(1)).isEqualTo("1");
    assertThat(AstJson.goFloat(0.5)).isEqualTo("0.5");
    assertThat(AstJson.goFloat(1e21)).isEqualTo("1000000000000000000000");
    assertThat(AstJson.goFloat(1.5e-7)).isEqualTo("0.00000015");
    assertThat(AstJson.goFloat(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(AstJson.goFloat(Double.NaN)).isEqualTo("NaN");
    assertThat(AstJson.goFloat(-0.0)).isEqualTo("-0");
  }

  @Test
  void astInPrometheusTranslateAstShape() {
    assertThat(GoJson.write(AstJson.translate(PromQLParser.parse("sum by (job) (rate(x{a=\"b\"}[5m] offset 1m @ 100))"))))
        .isEqualTo("{\"expr\":{\"args\":[{\"matchers\":[{\"name\":\"a\",\"type\":\"=\",\"value\":\"b\"},"
            + "{\"name\":\"__name__\",\"type\":\"=\",\"value\":\"x\"}],\"name\":\"x\",\"offset\":60000,\"range\":300000,"
            + "\"startOrEnd\":null,\"timestamp\":100000,\"type\":\"matrixSelector\"}],"
            + "\"func\":{\"argTypes\":[\"matrix\"],\"name\":\"rate\",\"returnType\":\"vector\",\"variadic\":0},"
            + "\"type\":\"call\"},\"grouping\":[\"job\"],\"op\":\"sum\",\"param\":null,\"type\":\"aggregation\","
            + "\"without\":false}");
    assertThat(GoJson.write(AstJson.translate(PromQLParser.parse("-a > bool on(x) group_left(y) b"))))
        .isEqualTo("{\"bool\":true,\"lhs\":{\"expr\":{\"matchers\":[{\"name\":\"__name__\",\"type\":\"=\",\"value\":\"a\"}],"
            + "\"name\":\"a\",\"offset\":0,\"startOrEnd\":null,\"timestamp\":null,\"type\":\"vectorSelector\"},"
            + "\"op\":\"-\",\"type\":\"unaryExpr\"},\"matching\":{\"card\":\"many-to-one\",\"include\":[\"y\"],"
            + "\"labels\":[\"x\"],\"on\":true},\"op\":\"\\u003e\",\"rhs\":{\"matchers\":[{\"name\":\"__name__\","
            + "\"type\":\"=\",\"value\":\"b\"}],\"name\":\"b\",\"offset\":0,\"startOrEnd\":null,\"timestamp\":null,"
            + "\"type\":\"vectorSelector\"},\"type\":\"binaryExpr\"}");
    assertThat(GoJson.write(AstJson.translate(PromQLParser.parse("(a + 1.5)[1h:1m] @ end()"))))
        .isEqualTo("{\"expr\":{\"expr\":{\"bool\":false,\"lhs\":{\"matchers\":[{\"name\":\"__name__\",\"type\":\"=\","
            + "\"value\":\"a\"}],\"name\":\"a\",\"offset\":0,\"startOrEnd\":null,\"timestamp\":null,\"type\":\"vectorSelector\"},"
            + "\"matching\":null,\"op\":\"+\",\"rhs\":{\"type\":\"numberLiteral\",\"val\":\"1.5\"},\"type\":\"binaryExpr\"},"
            + "\"type\":\"parenExpr\"},"
            + "\"offset\":0,\"range\":3600000,\"startOrEnd\":\"end\",\"step\":60000,\"timestamp\":null,\"type\":\"subquery\"}");
  }
}
