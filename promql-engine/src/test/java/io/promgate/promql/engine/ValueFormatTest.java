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

  /**
   * The scaling path (no Double.toString) gives the closest of the shortest decimals, exactly as a search
   * over precisions with BigDecimal does, and the same digits as the slower path it bypasses, on random bit
   * patterns, on random values of every magnitude the API prints in plain form, and on dashboard-like values
   * (rates, ratios, byte counts, regression slopes).
   */
  @Test
  void scalingPathMatchesExactClosestShortest() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    int decided = 0;
    for (int i = 0; i < 300_000; i++) {
      double v = switch (i % 4) {
        case 0 -> Double.longBitsToDouble(r.nextLong());
        case 1 -> r.nextDouble() * Math.pow(10, r.nextInt(-7, 22));
        case 2 -> r.nextInt(1, 100_000) / (double) r.nextInt(1, 100_000) * Math.pow(10, r.nextInt(-3, 10));
        default -> (r.nextInt(0, 1 << 20) - r.nextInt(0, 1 << 20) * 0.37) / (r.nextInt(1, 4000) * 15.0);
      };
      if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
        continue;
      }
      ValueFormat.Digits d = ValueFormat.shortestByScaling(Math.abs(v));
      if (d == null) {
        continue;
      }
      decided++;
      assertThat(d).as("%s", v).isEqualTo(closestShortest(v));
      assertThat(d).as("%s", v).isEqualTo(ValueFormat.shortestSlow(v));
    }
    // Most values the API prints take the scaling path (those out of reach of exact doubles do not).
    assertThat(decided).isGreaterThan(150_000);
  }

  /** formatValue (scaling path, written into the builder) prints what the previous String-based path did. */
  @Test
  void appendedValuesMatchThePreviousFormatting() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(11);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 200_000; i++) {
      double v = switch (i % 3) {
        case 0 -> (r.nextDouble() - 0.4) * Math.pow(10, r.nextInt(-7, 22));
        case 1 -> r.nextInt(-100_000, 100_000) / (double) r.nextInt(1, 100_000) * Math.pow(10, r.nextInt(-6, 16));
        default -> Double.longBitsToDouble(r.nextLong());
      };
      String expected = Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? (v > 0 ? "+Inf" : "-Inf")
          : v != 0 && (Math.abs(v) < 1e-6 || Math.abs(v) >= 1e21) ? ValueFormat.formatE(v) : previousFormatF(v);
      sb.setLength(0);
      sb.append('x');
      ValueFormat.appendValue(sb, v);
      assertThat(sb.substring(1)).as("%s", v).isEqualTo(expected);
      assertThat(ValueFormat.formatValue(v)).as("%s", v).isEqualTo(expected);
    }
  }

  private static String previousFormatF(double v) {
    if (v == 0) {
      return (1 / v < 0) ? "-0" : "0";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    ValueFormat.Digits d = ValueFormat.shortestSlow(v);
    StringBuilder sb = new StringBuilder(32);
    if (v < 0) {
      sb.append('-');
    }
    String ds = d.digits();
    int dp = d.decimalPoint();
    if (dp <= 0) {
      sb.append("0.").append("0".repeat(-dp)).append(ds);
    } else if (dp >= ds.length()) {
      sb.append(ds).append("0".repeat(dp - ds.length()));
    } else {
      sb.append(ds, 0, dp).append('.').append(ds, dp, ds.length());
    }
    return sb.toString();
  }

  @ParameterizedTest
  @CsvSource({"0.1", "0.3", "1.5", "123.456", "2.5e-6", "9.999999999999999e20", "4503599627370497.5", "0.30000000000000004",
      "1.7976931348623157e20", "5e-7", "123456789.12345679", "1e-6", "8.000000000000002", "1024", "0.125"})
  void scalingPathOnEdges(double v) {
    ValueFormat.Digits d = ValueFormat.shortestByScaling(v);
    if (d != null) {
      assertThat(d).isEqualTo(closestShortest(v));
    }
    assertThat(ValueFormat.shortest(v)).isEqualTo(closestShortest(v));
  }

  /** The fewest significant digits that read back to v, the closest to v among those (half-even on ties). */
  private static ValueFormat.Digits closestShortest(double v) {
    double a = Math.abs(v);
    java.math.BigDecimal exact = new java.math.BigDecimal(a);
    for (int p = 1; ; p++) {
      java.math.BigDecimal c = exact.round(new java.math.MathContext(p, java.math.RoundingMode.HALF_EVEN));
      if (c.doubleValue() == a) {
        c = c.stripTrailingZeros();
        String unscaled = c.unscaledValue().toString();
        return new ValueFormat.Digits(unscaled, unscaled.length() - c.scale());
      }
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
