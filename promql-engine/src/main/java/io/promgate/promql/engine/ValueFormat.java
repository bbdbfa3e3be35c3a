package io.promgate.promql.engine;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Number formatting exactly as Prometheus writes numbers, which is Go's {@code strconv} formatting with the
 * shortest digits that read back to the same double.
 *
 * <p>Java's {@code Double.toString} differs in form ({@code 1.0E7}) and, before JDK 19, sometimes in digits
 * (it may emit one digit more than needed). So the digits come from {@code Double.toString}, are checked for
 * a shorter round-tripping form with {@link BigDecimal}, and are then laid out as Go would.
 */
public final class ValueFormat {
  private ValueFormat() {
  }

  /**
   * A sample value as the JSON API writes it (Prometheus' {@code jsonutil.MarshalFloat}): "NaN", "+Inf",
   * "-Inf", otherwise plain decimal, or exponent form when |v| < 1e-6 or |v| >= 1e21 ({@code 1e-07}).
   */
  public static String formatValue(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    double abs = Math.abs(v);
    if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
      return formatE(v);
    }
    return formatF(v);
  }

  /** A timestamp in milliseconds as float seconds, as Prometheus' {@code MarshalTimestamp}: 1435781451.781. */
  public static String formatTimestamp(long millis) {
    StringBuilder sb = new StringBuilder(24);
    long t = millis;
    if (t < 0) {
      sb.append('-');
      t = -t;
    }
    sb.append(t / 1000);
    long fraction = t % 1000;
    if (fraction != 0) {
      sb.append('.');
      if (fraction < 100) {
        sb.append('0');
      }
      if (fraction < 10) {
        sb.append('0');
      }
      sb.append(fraction);
    }
    return sb.toString();
  }

  /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}. */
  public static String formatF(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return special(v);
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0" : "0";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    Digits d = shortest(v);
    StringBuilder sb = new StringBuilder(32);
    if (v < 0) {
      sb.append('-');
    }
    String ds = d.digits;
    int dp = d.decimalPoint;
    if (dp <= 0) {
      sb.append("0.");
      sb.append("0".repeat(-dp));
      sb.append(ds);
    } else if (dp >= ds.length()) {
      sb.append(ds);
      sb.append("0".repeat(dp - ds.length()));
    } else {
      sb.append(ds, 0, dp).append('.').append(ds, dp, ds.length());
    }
    return sb.toString();
  }

  /** Go's {@code strconv.FormatFloat(v, 'e', -1, 64)}: 1e-07, 1.5e+21. */
  public static String formatE(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return special(v);
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0e+00" : "0e+00";
    }
    Digits d = shortest(v);
    StringBuilder sb = new StringBuilder(32);
    if (v < 0) {
      sb.append('-');
    }
    sb.append(d.digits.charAt(0));
    if (d.digits.length() > 1) {
      sb.append('.').append(d.digits, 1, d.digits.length());
    }
    int exp = d.decimalPoint - 1;
    sb.append('e').append(exp < 0 ? '-' : '+');
    int a = Math.abs(exp);
    if (a < 10) {
      sb.append('0');
    }
    sb.append(a);
    return sb.toString();
  }

  /**
   * Go's {@code fmt} verbs {@code %g} and {@code %v} for floats (the same for float64: shortest digits,
   * exponent form when the exponent is < -4 or >= 6). Used for Prometheus' error and annotation texts.
   */
  public static String formatG(double v, boolean verbV) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0" : "0";
    }
    Digits d = shortest(v);
    int exp = d.decimalPoint - 1;
    int eprec = 6;
    if (exp < -4 || exp >= eprec) {
      return formatE(v);
    }
    return formatF(v);
  }

  private static String special(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    return v > 0 ? "+Inf" : "-Inf";
  }

  /** Shortest round-trip decimal digits of |v| (no leading/trailing zeros) and the decimal point position. */
  record Digits(String digits, int decimalPoint) {
  }

  static Digits shortest(double v) {
    double a = Math.abs(v);
    Digits fast = shortestFast(a);
    if (fast != null) {
      return fast;
    }
    BigDecimal bd = new BigDecimal(Double.toString(a)).stripTrailingZeros();
    // Double.toString of JDK 17 may be one digit longer than the shortest form: try shorter ones.
    int prec = bd.precision();
    while (prec > 1) {
      BigDecimal shorter = new BigDecimal(a).round(new MathContext(prec - 1, RoundingMode.HALF_EVEN));
      if (shorter.doubleValue() != a) {
        break;
      }
      bd = shorter.stripTrailingZeros();
      prec = bd.precision();
    }
    String unscaled = bd.unscaledValue().toString();
    int decimalPoint = unscaled.length() - bd.scale();
    return new Digits(unscaled, decimalPoint);
  }

  /**
   * The digits of {@code Double.toString} when no shorter form reads back to a, else null. The decimals that
   * read back to a form an interval around those digits, so if any shorter decimal is in it, one of the two
   * neighbours of the digits truncated by one is too: checking those two spares the exact BigDecimal
   * expansion for nearly every value (result formatting calls this once per sample).
   */
  private static Digits shortestFast(double a) {
    String s = Double.toString(a);
    int e = s.indexOf('E');
    int exp = e < 0 ? 0 : Integer.parseInt(s, e + 1, s.length(), 10);
    int mantEnd = e < 0 ? s.length() : e;
    StringBuilder digits = new StringBuilder(20);
    int dot = -1;
    for (int i = 0; i < mantEnd; i++) {
      char c = s.charAt(i);
      if (c == '.') {
        dot = digits.length();
      } else {
        digits.append(c);
      }
    }
    if (dot < 0) {
      dot = digits.length();
    }
    int lead = 0;
    while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
      lead++;
    }
    int end = digits.length();
    while (end > lead + 1 && digits.charAt(end - 1) == '0') {
      end--;
    }
    String ds = digits.substring(lead, end);
    int decimalPoint = dot - lead + exp;
    if (ds.length() > 1) {
      String floor = ds.substring(0, ds.length() - 1);
      if (readsBack(floor, decimalPoint, a)) {
        return null;
      }
      String ceil = increment(floor);
      int dp = ceil.length() > floor.length() ? decimalPoint + 1 : decimalPoint;
      if (readsBack(ceil, dp, a)) {
        return null;
      }
    }
    return new Digits(ds, decimalPoint);
  }

  private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
      1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

  private static boolean readsBack(String digits, int decimalPoint, double a) {
    int exp = decimalPoint - digits.length();
    if (digits.length() <= 15 && exp >= -22 && exp <= 22) {
      // Both the integer digits and the power of ten are exact doubles, so one IEEE multiplication or
      // division is correctly rounded: the value parseDouble would read (its own fast path), without a string.
      long m = Long.parseLong(digits);
      return (exp >= 0 ? m * POW10[exp] : m / POW10[-exp]) == a;
    }
    return Double.parseDouble("0." + digits + "E" + decimalPoint) == a;
  }

  /** The decimal digit string plus one in its last place ("199" -> "200", "99" -> "100"). */
  private static String increment(String d) {
    char[] c = d.toCharArray();
    int i = c.length - 1;
    while (i >= 0 && c[i] == '9') {
      c[i] = '0';
      i--;
    }
    if (i < 0) {
      return "1" + new String(c);
    }
    c[i]++;
    return new String(c);
  }
}
