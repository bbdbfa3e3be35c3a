package io.promgate.promql.engine;

/**
 * Label name validity as Prometheus 3 checks it (UTF-8 names allowed): non-empty and valid UTF-8. In Java's
 * UTF-16 that means no unpaired surrogate, and no U+FFFD: the parser decodes {@code \xhh} byte escapes as
 * UTF-8 and turns invalid bytes into U+FFFD, which is how an invalid Go string reaches us.
 */
final class LabelNames {
  private LabelNames() {
  }

  static boolean isValid(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= name.length() || !Character.isLowSurrogate(name.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c) || c == '\uFFFD') {
        return false;
      }
    }
    return true;
  }
}
