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
    StringBuilder sb = new StringBuilder(24);
    appendValue(sb, v);
    return sb.toString();
  }

  /**
   * {@link #formatValue} appended to sb: result rendering writes tens of thousands of values per range
   * query, and a String (plus its builder) per value was most of what a query allocated.
   */
  public static void appendValue(StringBuilder sb, double v) {
    if (Double.isNaN(v)) {
      sb.append("NaN");
      return;
    }
    if (Double.isInfinite(v)) {
      sb.append(v > 0 ? "+Inf" : "-Inf");
      return;
    }
    double abs = Math.abs(v);
    if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
      sb.append(formatE(v));
      return;
    }
    appendF(sb, v);
  }

  /** A timestamp in milliseconds as float seconds, as Prometheus' {@code MarshalTimestamp}: 1435781451.781. */
  public static String formatTimestamp(long millis) {
    StringBuilder sb = new StringBuilder(24);
    appendTimestamp(sb, millis);
    return sb.toString();
  }

  /** {@link #formatTimestamp} appended to sb. */
  public static void appendTimestamp(StringBuilder sb, long millis) {
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
  }

  /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}. */
  public static String formatF(double v) {
    StringBuilder sb = new StringBuilder(24);
    appendF(sb, v);
    return sb.toString();
  }

  /** {@link #formatF} appended to sb. */
  public static void appendF(StringBuilder sb, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      sb.append(special(v));
      return;
    }
    if (v == 0) {
      sb.append((1 / v < 0) ? "-0" : "0");
      return;
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      sb.append((long) v);
      return;
    }
    if (v < 0) {
      sb.append('-');
    }
    long packed = scaledShortest(Math.abs(v));
    if (packed >= 0) {
      long m = packed >>> 6;
      int scale = (int) (packed & 63) - 32;
      int start = sb.length();
      sb.append(m);
      int len = sb.length() - start;
      int dp = len - scale;
      if (dp <= 0) {
        sb.insert(start, ZEROS, 0, 2 - dp); // "0." and -dp zeros
        sb.setCharAt(start + 1, '.');
      } else if (dp >= len) {
        sb.append(ZEROS, 0, dp - len);
      } else {
        sb.insert(start + dp, '.');
      }
      return;
    }
    Digits d = shortestSlow(v);
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
  }

  /** Enough zeros for any plain layout of the scaling path (scales within [-22, 27]). */
  private static final char[] ZEROS = "0000000000000000000000000000000000000000".toCharArray();

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
    Digits exact = shortestByScaling(a);
    if (exact != null) {
      return exact;
    }
    return shortestSlow(a);
  }

  /** The path before {@link #shortestByScaling}: Java's digits, shortened when a shorter form reads back. */
  static Digits shortestSlow(double v) {
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

  private static final double TWO_53 = 9007199254740992.0;

  /**
   * Shortest digits, closest to a among the shortest (what Go's shortest formatting yields), without
   * Double.toString, or null where this cannot decide (then {@link #shortestSlow} does).
   *
   * <p>At a scale s, the decimals m * 10^-s that read back to a are the integers m in an interval around
   * y = a * 10^s that is symmetric (the rounding interval of a, closed or open at both ends; a power of two,
   * whose interval is not symmetric, is left to the slow path), so if any m reads back, the nearest integer
   * to y does. For the rounded product x = fl(y) < 2^53, |x - y| <= 1/2, so that nearest integer is within
   * floor(x) - 1 .. floor(x) + 2: if exactly one of those reads back it is the answer, if none does no m
   * does, and if two do (which is closer needs exact arithmetic) this gives up. For m < 2^53 and |s| <= 22
   * both m and 10^|s| are exact doubles, so one IEEE division or multiplication is the correctly rounded
   * value of m * 10^-s, i.e. what parsing the decimal gives. Whether some m reads back is monotone in s (a
   * trailing zero keeps the value), so a binary search finds the smallest scale, i.e. the fewest digits.
   */
  static Digits shortestByScaling(double a) {
    long packed = scaledShortest(a);
    if (packed < 0) {
      return null;
    }
    String ds = Long.toString(packed >>> 6);
    return new Digits(ds, ds.length() - ((int) (packed & 63) - 32));
  }

  /** {@link #shortestByScaling} as m << 6 | (s + 32) for the digits m at scale s, or -1; no allocation. */
  private static long scaledShortest(double a) {
    if (!(a > 0) || Double.isInfinite(a) || (Double.doubleToRawLongBits(a) & 0x000FFFFFFFFFFFFFL) == 0) {
      return -1;
    }
    // One below the decimal exponent (log10 may be off by one): at the smallest scale m < 10.
    int lo = -(int) Math.floor(Math.log10(a)) - 1;
    int hi = Math.min(lo + 18, 27);
    if (lo < -22 || lo > hi) {
      return -1;
    }
    // Every scale below lo reads nothing back; hi is taken to read back (undecided ones count as reading
    // back, as they may: the final probe at lo confirms).
    while (lo < hi) {
      int mid = (lo + hi) >> 1;
      if (readingBack(a, mid) != -1) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    long m = readingBack(a, lo);
    if (m <= 0) {
      return -1;
    }
    while (m % 10 == 0) {
      // Only when log10 was one too small for a just below a power of ten: 10 at scale lo is 1 at lo - 1.
      m /= 10;
      lo--;
    }
    return m << 6 | (lo + 32);
  }

  private static final long[] POW5 = new long[28];

  static {
    POW5[0] = 1;
    for (int i = 1; i < POW5.length; i++) {
      POW5[i] = POW5[i - 1] * 5;
    }
  }

  /** The integer m nearest to a * 10^s when m * 10^-s reads back to a, -1 when none does, -2 undecided. */
  private static long readingBack(double a, int s) {
    long exact = readingBackExact(a, s);
    return exact != -2 ? exact : readingBackByDoubles(a, s);
  }

  /**
   * {@link #readingBack} in integers, for digits beyond exact doubles (17 significant digits). With
   * a = M * 2^e (M the 53-bit significand), a * 10^s = P * 2^q for P = M * 5^s and q = e + s; the decimals
   * that read back to a are the n with n * 2^-q within 5^s / 2 of P (half an ulp of a, scaled; the bound
   * itself reads back when M is even, as the parser rounds ties to even). Needs 0 <= s <= 27 and 0 < -q < 64.
   */
  private static long readingBackExact(double a, int s) {
    if (s < 0 || s >= POW5.length) {
      return -2;
    }
    long bits = Double.doubleToRawLongBits(a);
    int biased = (int) (bits >>> 52) & 0x7ff;
    if (biased == 0) {
      return -2;
    }
    long mant = (bits & 0x000FFFFFFFFFFFFFL) | (1L << 52);
    int sh = -(biased - 1075 + s);
    if (sh <= 0 || sh >= 64) {
      return -2;
    }
    long pow5 = POW5[s];
    long hi = Math.multiplyHigh(mant, pow5);
    long lo = mant * pow5;
    if ((hi >>> (sh - 1)) != 0) {
      return -2; // n would not fit in a long (not for the 17 digits asked here)
    }
    long n = (hi << (64 - sh)) | (lo >>> sh);
    long rem = lo & ((1L << sh) - 1);
    long half = 1L << (sh - 1);
    if (rem == half) {
      return -2; // a * 10^s halfway between two integers: which is closest is a tie
    }
    long dist = rem;
    if (Long.compareUnsigned(rem, half) > 0) {
      n++;
      dist = (1L << sh) - rem;
    }
    int c = Long.compareUnsigned(dist << 1, pow5);
    boolean reads = c < 0 || c == 0 && (mant & 1) == 0;
    return reads && n > 0 ? n : -1;
  }

  private static long readingBackByDoubles(double a, int s) {
    if (s > 22 || s < -22) {
      return -2;
    }
    double x = s >= 0 ? a * POW10[s] : a / POW10[-s];
    if (!(x < TWO_53 - 4)) {
      return -2;
    }
    long f = (long) Math.floor(x);
    long hit = -1;
    for (long m = Math.max(1, f - 1); m <= f + 2; m++) {
      if (valueAt(m, s) == a) {
        if (hit >= 0) {
          return -2;
        }
        hit = m;
      }
    }
    return hit;
  }

  private static double valueAt(long m, int s) {
    return s >= 0 ? m / POW10[s] : m * POW10[-s];
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
