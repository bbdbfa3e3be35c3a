package io.promgate.model;

import java.util.Map;

/**
 * Rewrites the RE2 regular expressions PromQL users write (Prometheus uses Go's regexp) into
 * java.util.regex syntax where the two dialects differ on patterns people actually write:
 * <ul>
 *   <li>a '{' that does not start a repetition ({@code {n}}, {@code {n,}}, {@code {n,m}}) is a literal in
 *       RE2 but an error in Java: {@code "baz{"}, {@code "{5.."}, {@code "tmpf{}s"};</li>
 *   <li>named groups {@code (?P<name>...)} are {@code (?<name>...)} in Java;</li>
 *   <li>POSIX classes {@code [[:alpha:]]} are {@code \p{Alpha}} in Java (which otherwise reads them as a
 *       nested class, silently matching something else);</li>
 *   <li>inside a character class '[' and '&amp;' are literals in RE2 but nest/intersect in Java, and a
 *       leading ']' is a literal.</li>
 * </ul>
 * Anything else passes through unchanged, so an invalid RE2 pattern still fails to compile.
 */
final class Re2Syntax {
  private static final Map<String, String> POSIX = Map.ofEntries(Map.entry("alnum", "Alnum"),
      Map.entry("alpha", "Alpha"), Map.entry("ascii", "ASCII"), Map.entry("blank", "Blank"),
      Map.entry("cntrl", "Cntrl"), Map.entry("digit", "Digit"), Map.entry("graph", "Graph"),
      Map.entry("lower", "Lower"), Map.entry("print", "Print"), Map.entry("punct", "Punct"),
      Map.entry("space", "Space"), Map.entry("upper", "Upper"), Map.entry("xdigit", "XDigit"));

  private Re2Syntax() {
  }

  static String toJava(String re) {
    if (re.indexOf('{') < 0 && re.indexOf('[') < 0 && !re.contains("(?P<")) {
      return re;
    }
    StringBuilder sb = new StringBuilder(re.length() + 8);
    boolean inClass = false;
    int classStart = -1;
    for (int i = 0; i < re.length(); i++) {
      char c = re.charAt(i);
      if (c == '\\' && i + 1 < re.length()) {
        sb.append(c).append(re.charAt(++i));
        continue;
      }
      if (!inClass) {
        if (c == '[') {
          inClass = true;
          sb.append(c);
          if (i + 1 < re.length() && re.charAt(i + 1) == '^') {
            sb.append('^');
            i++;
          }
          classStart = i + 1;
        } else if (c == '{' && !isRepetition(re, i)) {
          sb.append("\\{");
        } else if (c == '(' && re.startsWith("(?P<", i)) {
          sb.append("(?<");
          i += 3;
        } else {
          sb.append(c);
        }
        continue;
      }
      if (c == ']' && i != classStart) {
        inClass = false;
        sb.append(c);
      } else if (c == ']') {
        sb.append("\\]");
      } else if (c == '[' && re.startsWith("[:", i)) {
        int end = re.indexOf(":]", i + 2);
        String name = end < 0 ? null : re.substring(i + 2, end);
        boolean negated = name != null && name.startsWith("^");
        String java = name == null ? null
            : "word".equals(negated ? name.substring(1) : name) ? (negated ? "\\W" : "\\w")
            : POSIX.get(negated ? name.substring(1) : name) == null ? null
            : (negated ? "\\P{" : "\\p{") + POSIX.get(negated ? name.substring(1) : name) + "}";
        if (java == null) {
          sb.append("\\[");
        } else {
          sb.append(java);
          i = end + 1;
        }
      } else if (c == '[' || c == '&') {
        sb.append('\\').append(c);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** {n}, {n,} or {n,m} at i. */
  private static boolean isRepetition(String re, int i) {
    int j = i + 1;
    int digits = 0;
    while (j < re.length() && Character.isDigit(re.charAt(j))) {
      j++;
      digits++;
    }
    if (digits == 0 || j >= re.length()) {
      return false;
    }
    if (re.charAt(j) == '}') {
      return true;
    }
    if (re.charAt(j) != ',') {
      return false;
    }
    j++;
    while (j < re.length() && Character.isDigit(re.charAt(j))) {
      j++;
    }
    return j < re.length() && re.charAt(j) == '}';
  }
}
