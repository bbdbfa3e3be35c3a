package io.promgate.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which backends serve which time windows for a set of tenants. Tenants are exact ids or globs ({@code *},
 * {@code team-?}). Windows are kept in config order; {@link #windowsAt(long)} gives them ordered by start.
 */
public record Route(String key, List<String> tenants, List<Window> windows) {
  public Route {
    tenants = List.copyOf(tenants);
    windows = List.copyOf(windows);
  }

  public boolean matchesTenant(String tenant) {
    for (String t : tenants) {
      if (t.equals("*") || t.equals(tenant) || (isGlob(t) && globToRegex(t).matcher(tenant).matches())) {
        return true;
      }
    }
    return false;
  }

  /** The windows resolved at {@code nowMs}, ordered by start (then end). */
  public List<ResolvedWindow> windowsAt(long nowMs) {
    List<ResolvedWindow> out = new ArrayList<>(windows.size());
    for (Window w : windows) {
      out.add(new ResolvedWindow(w, w.resolve(nowMs)));
    }
    out.sort(Comparator.comparingLong((ResolvedWindow r) -> r.range().startMs())
        .thenComparingLong(r -> r.range().endMs()));
    return out;
  }

  /** A window with its absolute range at some instant. */
  public record ResolvedWindow(Window window, TimeRange range) {}

  static boolean isGlob(String t) {
    return t.indexOf('*') >= 0 || t.indexOf('?') >= 0;
  }

  static Pattern globToRegex(String glob) {
    StringBuilder sb = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> sb.append(".*");
        case '?' -> sb.append('.');
        default -> sb.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(sb.toString());
  }
}
