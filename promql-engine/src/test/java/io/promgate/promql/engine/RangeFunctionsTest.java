package io.promgate.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The regression's fast loop (no infinity test per Kahan step) against the loop that tests every step. */
class RangeFunctionsTest {
  @Test
  void regressionEqualsTheCheckedLoopBitForBit() {
    SplittableRandom r = new SplittableRandom(3);
    double[] specials = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Double.MAX_VALUE,
        -Double.MAX_VALUE, 1e308, -1e308, 0, -0.0, Double.MIN_VALUE};
    for (int round = 0; round < 50_000; round++) {
      int n = r.nextInt(1, 60);
      long[] t = new long[n];
      double[] f = new double[n];
      long ts = r.nextLong(0, 1L << 40);
      double base = r.nextDouble() * Math.pow(10, r.nextInt(-5, 12));
      int kind = r.nextInt(5);
      for (int i = 0; i < n; i++) {
        ts += r.nextInt(1, 60_000);
        t[i] = ts;
        f[i] = switch (kind) {
          case 0 -> base + r.nextGaussian() * base * 0.1; // a gauge
          case 1 -> base * i; // a counter
          case 2 -> base; // constant
          case 3 -> r.nextInt(10) == 0 ? specials[r.nextInt(specials.length)] : base * r.nextDouble();
          default -> (r.nextBoolean() ? 1 : -1) * r.nextDouble() * 1e307 * r.nextInt(1, 20);
        };
      }
      StepContext.Window w = new StepContext.Window();
      w.t = t;
      w.f = f;
      w.lo = r.nextInt(0, n);
      w.hi = r.nextInt(w.lo + 1, n + 1);
      long intercept = r.nextBoolean() ? t[w.lo] : t[w.hi - 1] + r.nextInt(0, 100_000);
      double[] fast = new double[2];
      double[] checked = new double[2];
      double slope = RangeFunctions.regression(w, intercept, fast);
      RangeFunctions.regressionChecked(w, intercept, checked);
      assertThat(Double.doubleToLongBits(slope)).isEqualTo(Double.doubleToLongBits(checked[0]));
      assertThat(Double.doubleToLongBits(fast[0])).isEqualTo(Double.doubleToLongBits(checked[0]));
      assertThat(Double.doubleToLongBits(fast[1])).as("round %d", round)
          .isEqualTo(Double.doubleToLongBits(checked[1]));
      assertThat(Double.doubleToLongBits(RangeFunctions.regression(w, intercept, null)))
          .isEqualTo(Double.doubleToLongBits(checked[0]));
    }
  }
}
