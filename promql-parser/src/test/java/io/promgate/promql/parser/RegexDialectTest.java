package io.promgate.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.LabelMatcher;
import org.junit.jupiter.api.Test;

/**
 * Regex matchers behave as Prometheus' Go (RE2) regexps for the patterns dashboards contain, although
 * we compile them with java.util.regex (model's Re2Syntax bridges the differences).
 */
class RegexDialectTest {
  private static LabelMatcher matcher(String selector) {
    return PromQLParser.parseMetricSelector(selector).get(0);
  }

  @Test
  void braceThatIsNotARepetitionIsALiteral() {
    assertThat(matcher("{a=~\"baz{\"}").matches("baz{")).isTrue();
    assertThat(matcher("{a=~\"{5..\"}").matches("{500")).isTrue();
    assertThat(matcher("{a=~\"tmpf{}s|x\"}").matches("tmpf{}s")).isTrue();
    assertThat(matcher("{a=~\"a{2}\"}").matches("aa")).isTrue();
    assertThat(matcher("{a=~\"a{2,}\"}").matches("aaa")).isTrue();
    assertThat(matcher("{a=~\"a{,2}\"}").matches("a{,2}")).isTrue();
  }

  @Test
  void posixClassesNamedGroupsAndClassLiterals() {
    assertThat(matcher("{a=~\"[[:digit:]]+\"}").matches("123")).isTrue();
    assertThat(matcher("{a=~\"[[:digit:]]+\"}").matches("12a")).isFalse();
    assertThat(matcher("{a=~\"[^[:space:]]+\"}").matches("a b")).isFalse();
    assertThat(matcher("{a=~\"(?P<x>a)b\"}").matches("ab")).isTrue();
    assertThat(matcher("{a=~\"[[]+\"}").matches("[[")).isTrue();
    assertThat(matcher("{a=~\"[a&&b]+\"}").matches("a&b")).isTrue();
    assertThat(matcher("{a=~\"[]a]+\"}").matches("]a")).isTrue();
  }

  @Test
  void invalidPatternsStillFail() {
    ParseException e = org.assertj.core.api.Assertions.catchThrowableOfType(ParseException.class,
        () -> PromQLParser.parse("{a=~\"(x\"}"));
    assertThat(e.getMessage()).startsWith("1:2: parse error: invalid regular expression");
  }
}
