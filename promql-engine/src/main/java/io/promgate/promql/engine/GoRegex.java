package io.promgate.promql.engine;

import java.util.regex.Matcher;

/** Go (RE2) regular-expression conventions that Java's differ from, for label_replace. */
final class GoRegex {
  private GoRegex() {
  }

  /**
   * RE2 syntax is, for what label_replace users write, accepted by Java as is, except the named group
   * form {@code (?P<name>...)}, which Java spells {@code (?<name>...)}.
   */
  static String toJava(String re) {
    return re.replace("(?P<", "(?<");
  }

  /**
   * Go's {@code Regexp.ExpandString}: {@code $name} takes the longest run of letters, digits and
   * underscores ({@code $1x} is the group named "1x", which does not exist and expands to ""), {@code ${name}}
   * delimits, {@code $$} is a dollar; unknown groups expand to "".
   */
  static String expand(String template, Matcher m) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= n) {
        sb.append(c);
        i++;
        continue;
      }
      char d = template.charAt(i + 1);
      if (d == '$') {
        sb.append('$');
        i += 2;
        continue;
      }
      String name;
      int next;
      if (d == '{') {
        int close = template.indexOf('}', i + 2);
        if (close < 0) {
          sb.append(c);
          i++;
          continue;
        }
        name = template.substring(i + 2, close);
        next = close + 1;
        if (name.isEmpty() || !isName(name)) {
          sb.append(c);
          i++;
          continue;
        }
      } else {
        int j = i + 1;
        while (j < n && isNameChar(template.charAt(j))) {
          j++;
        }
        if (j == i + 1) {
          sb.append(c);
          i++;
          continue;
        }
        name = template.substring(i + 1, j);
        next = j;
      }
      sb.append(group(m, name));
      i = next;
    }
    return sb.toString();
  }

  private static boolean isName(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isNameChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isNameChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  private static String group(Matcher m, String name) {
    boolean digits = name.chars().allMatch(Character::isDigit);
    try {
      String v;
      if (digits) {
        int g = Integer.parseInt(name);
        if (g > m.groupCount()) {
          return "";
        }
        v = m.group(g);
      } else {
        v = m.group(name);
      }
      return v == null ? "" : v;
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return "";
    }
  }
}
