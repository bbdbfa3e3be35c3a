package io.promgate.gateway.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateVariablesTest {
  @Test
  void everySyntaxGrafanaAccepts() {
    TemplateVariables v = new TemplateVariables(3_600_000, TemplateVariables.intervalFor(3_600_000));
    v.put("ns", "finops");
    v.put("job", List.of("api", "node.exporter"));
    assertThat(v.substitute("x{ns=\"$ns\", a=\"${ns}\", b=\"[[ns]]\", c=~\"${job:regex}\", d=~\"$job\"}"))
        .isEqualTo("x{ns=\"finops\", a=\"finops\", b=\"finops\", c=~\"(api|node\\.exporter)\", d=~\"(api|node\\.exporter)\"}");
    assertThat(v.substitute("rate(x[$__rate_interval]) / $__range_s + $__range + $unknown"))
        .isEqualTo("rate(x[60s]) / 3600 + 3600s + $unknown");
  }

  @Test
  void rateIntervalIsIntervalPlusScrapeButAtLeastFourScrapes() {
    long day = 86_400_000;
    TemplateVariables v = new TemplateVariables(day, TemplateVariables.intervalFor(day));
    // 1 day / ~1000 points = 86 s; + 15 s = 101 s.
    assertThat(v.substitute("$__interval $__rate_interval")).isEqualTo("86s 101s");
  }

  @Test
  void customOptionsAndAll() {
    JsonObject custom = new JsonObject("{\"type\":\"custom\",\"query\":\"a : ops, staging\",\"current\":{\"value\":\"$__all\"}}");
    assertThat(TemplateVariables.isAll(TemplateVariables.currentValues(custom))).isTrue();
    assertThat(TemplateVariables.options(custom)).containsExactly("ops", "staging");
  }
}
