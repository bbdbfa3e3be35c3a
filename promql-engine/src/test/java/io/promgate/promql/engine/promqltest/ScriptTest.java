package io.promgate.promql.engine.promqltest;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.Labels;
import io.promgate.model.StaleNaN;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The script language: series descriptions, durations, expectations, and that the runner can fail. */
class ScriptTest {
  @Test
  void seriesDescriptionsExpandLikePrometheus() {
    SeriesDescription d = SeriesDescription.parse("metric{a=\"b\", c=\"d\"} 1+2x3 _ _x2 stale -1-1x1 0x59 Inf");
    assertThat((Object) d.labels()).isEqualTo(Labels.of("__name__", "metric", "a", "b", "c", "d"));
    List<Double> v = d.values();
    assertThat(v.subList(0, 4)).containsExactly(1.0, 3.0, 5.0, 7.0);
    assertThat(v.subList(4, 7)).allSatisfy(x -> assertThat(x).isSameAs(SeriesDescription.OMITTED));
    assertThat(StaleNaN.is(v.get(7))).isTrue();
    assertThat(v.subList(8, 10)).containsExactly(-1.0, -2.0);
    assertThat(v.subList(10, 70)).containsOnly(0.0).hasSize(60);
    assertThat(v.get(70)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(d.hasHistogram()).isFalse();
  }

  @Test
  void quotedNamesAndHistograms() {
    SeriesDescription d = SeriesDescription.parse("{\"my.metric\", \"a b\"=\"x\\\"y\"} {{schema:0 sum:1 count:1}}x2 3");
    assertThat((Object) d.labels()).isEqualTo(Labels.of("__name__", "my.metric", "a b", "x\"y"));
    assertThat(d.hasHistogram()).isTrue();
    assertThat(d.values()).hasSize(4);
    assertThat(d.values().get(3)).isEqualTo(3.0);
  }

  @Test
  void durationsAndNumbers() {
    assertThat(Script.parseDuration("1h30m")).isEqualTo(5_400_000);
    assertThat(Script.parseDuration("10s53ms")).isEqualTo(10_053);
    assertThat(Script.parseDuration("0")).isZero();
    assertThat(Script.parseNumber("0x10")).isEqualTo(16.0);
    assertThat(Script.parseNumber("-Inf")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(Script.parseNumber("1e3")).isEqualTo(1000.0);
    assertThat(Script.parseNumber("{} 1")).isNull();
  }

  @Test
  void evalExpectations() {
    Script s = Script.parse("""
        load 5m
          x{a="1"} 0+1x10

        eval instant at 10m x
          expect warn msg: PromQL warning: something
          expect no_info
          x{a="1"} 2

        eval_fail range from 0 to 10m step 5m x
          expected_fail_regexp bad.*thing
        """);
    assertThat(s.commands).hasSize(3);
    Script.Eval e = (Script.Eval) s.commands.get(1);
    assertThat(e.line).isEqualTo(4);
    assertThat(e.start).isEqualTo(600_000);
    assertThat(e.expects.get(Script.ExpectType.WARN).get(0).message()).isEqualTo("PromQL warning: something");
    assertThat(e.expects).containsKey(Script.ExpectType.NO_INFO);
    Script.Eval r = (Script.Eval) s.commands.get(2);
    assertThat(r.range).isTrue();
    assertThat(r.isFail()).isTrue();
    assertThat(r.expectedFailRegexp.pattern()).isEqualTo("bad.*thing");
  }

  /** The runner must report wrong values, missing series and unexpected annotations as failures. */
  @Test
  void runnerDetectsMismatches() {
    Script s = Script.parse("""
        load 1m
          up{job="a"} 1x10
          requests{job="a"} 0+1x10

        eval instant at 5m up
          up{job="a"} 2

        eval instant at 5m up
          up{job="b"} 1

        eval instant at 5m rate(requests[5m])
          expect no_info
          {job="a"} 0.016666666666666666

        eval instant at 5m up
          up{job="a"} 1.0000001
        """);
    List<EvalOutcome> out = new PromqlTestRunner().runScript("t.test", s);
    assertThat(out).extracting(EvalOutcome::status).containsExactly(EvalOutcome.Status.FAILED,
        EvalOutcome.Status.FAILED, EvalOutcome.Status.FAILED, EvalOutcome.Status.PASSED);
    assertThat(out.get(2).message()).contains("metric might not be a counter");
  }
}
