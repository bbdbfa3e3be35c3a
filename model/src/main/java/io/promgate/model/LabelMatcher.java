package io.promgate.model;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A label matcher as in PromQL selectors. Regex matchers are fully anchored, as Prometheus anchors them
 * ({@code ^(?:re)$}), and compiled once. Java's regex dialect is close to RE2 for the patterns people write;
 * {@code (?s)} is set because Prometheus' {@code .} matches newlines.
 */
public final class LabelMatcher {
  public enum Type {
    EQ("="), NEQ("!="), RE("=~"), NRE("!~");

    private final String op;

    Type(String op) {
      this.op = op;
    }

    public String op() {
      return op;
    }
  }

  private final Type type;
  private final String name;
  private final String value;
  private final Pattern pattern;

  private LabelMatcher(Type type, String name, String value) {
    this.type = type;
    this.name = name;
    this.value = value;
    this.pattern = (type == Type.RE || type == Type.NRE) ? compile(value) : null;
  }

  /** @throws IllegalArgumentException for an invalid regular expression */
  public static LabelMatcher of(Type type, String name, String value) {
    return new LabelMatcher(type, name, value);
  }

  public static LabelMatcher eq(String name, String value) {
    return new LabelMatcher(Type.EQ, name, value);
  }

  private static Pattern compile(String re) {
    try {
      return Pattern.compile("(?s)^(?:" + Re2Syntax.toJava(re) + ")$");
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("invalid regular expression " + quote(re) + ": " + e.getDescription(), e);
    }
  }

  public Type type() {
    return type;
  }

  public String name() {
    return name;
  }

  public String value() {
    return value;
  }

  public boolean matches(String labelValue) {
    String v = labelValue == null ? "" : labelValue;
    return switch (type) {
      case EQ -> value.equals(v);
      case NEQ -> !value.equals(v);
      case RE -> pattern.matcher(v).matches();
      case NRE -> !pattern.matcher(v).matches();
    };
  }

  /** Whether this matcher matches the empty string, i.e. also series without the label. */
  public boolean matchesEmpty() {
    return matches("");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelMatcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
  }

  @Override
  public int hashCode() {
    return (type.hashCode() * 31 + name.hashCode()) * 31 + value.hashCode();
  }

  @Override
  public String toString() {
    return name + type.op + quote(value);
  }

  static String quote(String s) {
    return '"' + Labels.escape(s) + '"';
  }
}
