package io.promgate.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValueFormatTest {
  @ParameterizedTest
  @CsvSource({
      "0, 0",
      "1, 1",
      "-1, -1",
      "1.5, 1.5",
      "0.1, 0.1",
      "100, 100",
      "1e7, 10000000",
      "1234567.891, 1234567.891",
      "1e-6, 0.000001",
      "1e-7, 1e-07",
      "1.5e-7, 1.5e-07",
      "-2.5e-10, -2.5e-10",
      "1e20, 100000000000000000000",
      "1e21, 1e+21",
      "1.5e21, 1.5e+21",
      "1e300, 1e+300",
      "0.30000000000000004, 0.30000000000000004",
      "2e-3, 0.002",
      "123456789012345680000, 123456789012345680000",
      "4.9e-324, 5e-324",
      "1.7976931348623157e308, 1.7976931348623157e+308",
  })
  void formatsLikePrometheus(double v, String expected) {
    assertThat(ValueFormat.formatValue(v)).isEqualTo(expected);
  }

  @Test
  void specialValues() {
    assertThat(ValueFormat.formatValue(Double.NaN)).isEqualTo("NaN");
    assertThat(ValueFormat.formatValue(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(ValueFormat.formatValue(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    assertThat(ValueFormat.formatValue(-0.0)).isEqualTo("-0");
  }

  @Test
  void timestampsAsFloatSeconds() {
    assertThat(ValueFormat.formatTimestamp(1435781451781L)).isEqualTo("1435781451.781");
    assertThat(ValueFormat.formatTimestamp(1435781451000L)).isEqualTo("1435781451");
    assertThat(ValueFormat.formatTimestamp(1435781451005L)).isEqualTo("1435781451.005");
    assertThat(ValueFormat.formatTimestamp(1435781451050L)).isEqualTo("1435781451.050");
    assertThat(ValueFormat.formatTimestamp(-1500)).isEqualTo("-1.500");
  }

  @Test
  void goVerbs() {
    assertThat(ValueFormat.formatG(1.1, false)).isEqualTo("1.1");
    assertThat(ValueFormat.formatG(1e6, false)).isEqualTo("1e+06");
    assertThat(ValueFormat.formatG(123456, false)).isEqualTo("123456");
    assertThat(ValueFormat.formatG(1e6, true)).isEqualTo("1e+06");
    assertThat(ValueFormat.formatG(1234567, true)).isEqualTo("1.234567e+06");
    assertThat(ValueFormat.formatG(0.0001, false)).isEqualTo("0.0001");
    assertThat(ValueFormat.formatG(0.00001, false)).isEqualTo("1e-05");
    assertThat(ValueFormat.formatF(1e30)).isEqualTo(
        "1000000000000000000000000000000");
  }

  /** Shortest digits must read back to the same double, for any double. */
  @Property(tries = 2000)
  void roundTrips(@ForAll double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return;
    }
    assertThat(Double.parseDouble(ValueFormat.formatValue(v))).isEqualTo(v);
  }

  /** Never longer than Java's own (already round-tripping) digits. */
  @Property(tries = 2000)
  void noLongerThanJava(@ForAll double v) {
    if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
      return;
    }
    String digits = ValueFormat.shortest(v).digits();
    String java = new java.math.BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros().unscaledValue()
        .toString();
    assertThat(digits.length()).isLessThanOrEqualTo(java.length());
  }

  /** The fast path (Double.toString digits, two neighbours checked) agrees with the exact BigDecimal search. */
  @Property(tries = 20_000)
  void shortestMatchesExactSearch(@ForAll double v) {
    if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
      return;
    }
    assertThat(ValueFormat.shortest(v)).isEqualTo(exactShortest(v));
  }

  @Test
  void shortestMatchesExactSearchOnRandomBits() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(42);
    for (int i = 0; i < 200_000; i++) {
      double v = i % 2 == 0 ? Double.longBitsToDouble(r.nextLong()) : r.nextDouble() * Math.pow(10, r.nextInt(-8, 12));
      if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
        continue;
      }
      assertThat(ValueFormat.shortest(v)).as("%s", v).isEqualTo(exactShortest(v));
    }
  }

  private static ValueFormat.Digits exactShortest(double v) {
    double a = Math.abs(v);
    java.math.BigDecimal bd = new java.math.BigDecimal(Double.toString(a)).stripTrailingZeros();
    int prec = bd.precision();
    while (prec > 1) {
      java.math.BigDecimal shorter = new java.math.BigDecimal(a)
          .round(new java.math.MathContext(prec - 1, java.math.RoundingMode.HALF_EVEN));
      if (shorter.doubleValue() != a) {
        break;
      }
      bd = shorter.stripTrailingZeros();
      prec = bd.precision();
    }
    String unscaled = bd.unscaledValue().toString();
    return new ValueFormat.Digits(unscaled, unscaled.length() - bd.scale());
  }
}
