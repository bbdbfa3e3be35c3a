package io.promgate.promql.parser;

/**
 * Replays lex.go's scanNumber / acceptRemainingDuration on a malformed number, only to quote exactly
 * the characters Prometheus quotes in "bad number or duration syntax" (it stops where it noticed the
 * problem: {@code 100..4} is reported as {@code "100.."}, {@code 0deadbeef} as {@code "0de"}), or to
 * find that Prometheus would have read a duration such as {@code 5y1hs} and rejected its unit instead.
 */
final class GoNumberScan {
  private final String in;
  private int pos;

  private GoNumberScan(String in, int start) {
    this.in = in;
    this.pos = start;
  }

  /** The error message Prometheus gives for the bad number starting at {@code start}. */
  static String message(String input, int start, String fallbackText) {
    GoNumberScan s = new GoNumberScan(input, start);
    if (!s.scanNumber()) {
      int afterNumber = s.pos;
      if (s.acceptRemainingDuration()) {
        String dur = input.substring(start, s.pos - 1 >= afterNumber ? s.pos - 1 : s.pos);
        try {
          Durations.parse(dur);
        } catch (IllegalArgumentException e) {
          return e.getMessage();
        }
        return "bad number or duration syntax: " + GoStrings.quote(fallbackText);
      }
      return "bad number or duration syntax: " + GoStrings.quote(input.substring(start, Math.min(s.pos, input.length())));
    }
    return "bad number or duration syntax: " + GoStrings.quote(fallbackText);
  }

  private int peek() {
    return pos < in.length() ? in.charAt(pos) : -1;
  }

  private boolean accept(String valid) {
    int c = peek();
    if (c >= 0 && valid.indexOf(c) >= 0) {
      pos++;
      return true;
    }
    return false;
  }

  private boolean is(String valid) {
    int c = peek();
    return c >= 0 && valid.indexOf(c) >= 0;
  }

  private static boolean isAlphaNumeric(int c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private boolean scanNumber() {
    int initial = pos;
    String digits = "0123456789";
    if (accept("0") && accept("xX")) {
      accept("_");
      digits = "0123456789abcdefABCDEF";
    }
    accept(".");
    accept(digits);
    boolean dot = false;
    boolean exp = false;
    while (is(digits + "._eE")) {
      if (is(".") && dot) {
        accept(".");
        return false;
      }
      if (is("eE") && exp) {
        accept("eE");
        return false;
      }
      if (accept(".")) {
        dot = true;
        if (accept("_.") || digits.length() > 10) {
          return false;
        }
        continue;
      }
      if (accept("eE")) {
        exp = true;
        accept("+-");
        if (accept("._eE") || peek() < 0) {
          return false;
        }
        continue;
      }
      if (accept("_")) {
        if (accept("._eE") || peek() < 0) {
          return false;
        }
        continue;
      }
      while (accept(digits)) {
        // consume the run
      }
    }
    return pos != initial && !isAlphaNumeric(peek());
  }

  private boolean acceptRemainingDuration() {
    if (!accept("smhdwy")) {
      return false;
    }
    accept("s");
    while (accept("0123456789")) {
      while (accept("0123456789")) {
        // consume the run
      }
      if (!accept("smhdw")) {
        return false;
      }
      accept("s");
    }
    int next = peek();
    pos++;
    return !isAlphaNumeric(next);
  }
}
