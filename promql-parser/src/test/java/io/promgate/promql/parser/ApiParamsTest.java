package io.promgate.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiParamsTest {
  @Test
  void timesAreFloatSecondsOrRfc3339() {
    assertThat(ApiParams.parseTime("1435781451.781")).isEqualTo(1435781451781L);
    assertThat(ApiParams.parseTime("1435781451")).isEqualTo(1435781451000L);
    assertThat(ApiParams.parseTime("-1.5")).isEqualTo(-1500L);
    assertThat(ApiParams.parseTime("1.0005")).isEqualTo(1000L); // Go: Round(0.49999..) = 0
    assertThat(ApiParams.parseTime("-0.0015")).isEqualTo(-2L);
    assertThat(ApiParams.parseTime("2015-07-01T20:10:51.781Z")).isEqualTo(1435781451781L);
    assertThat(ApiParams.parseTime("2015-07-01T22:10:51.781+02:00")).isEqualTo(1435781451781L);
    assertThat(ApiParams.parseTime("-292273086-05-16T16:47:06Z")).isEqualTo(ApiParams.MIN_TIME_MS);
    assertThat(ApiParams.parseTime("292277025-08-18T07:12:54.999999999Z")).isEqualTo(ApiParams.MAX_TIME_MS);
    assertThatThrownBy(() -> ApiParams.parseTime("yesterday"))
        .hasMessage("cannot parse \"yesterday\" to a valid timestamp");
  }

  @Test
  void durationsAreFloatSecondsOrPrometheusDurations() {
    assertThat(ApiParams.parseDuration("15")).isEqualTo(15_000);
    assertThat(ApiParams.parseDuration("0.5")).isEqualTo(500);
    assertThat(ApiParams.parseDuration("1m30s")).isEqualTo(90_000);
    assertThat(ApiParams.parseDuration("1d")).isEqualTo(86_400_000);
    assertThatThrownBy(() -> ApiParams.parseDuration("1e20"))
        .hasMessage("cannot parse \"1e20\" to a valid duration. It overflows int64");
    assertThatThrownBy(() -> ApiParams.parseDuration("5x")).hasMessage("cannot parse \"5x\" to a valid duration");
  }
}
