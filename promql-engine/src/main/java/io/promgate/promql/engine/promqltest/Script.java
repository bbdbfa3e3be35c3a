package io.promgate.promql.engine.promqltest;

import io.promgate.model.Labels;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed promqltest script (Prometheus' {@code promql/promqltest} language): load, clear and eval commands
 * with their expectations. See the conformance README for the language.
 */
public final class Script {
  private static final Pattern SPACE = Pattern.compile("[\t ]+");
  private static final Pattern LOAD = Pattern.compile("^load(?:_(with_nhcb))?\\s+(.+?)$");
  private static final Pattern EVAL_INSTANT =
      Pattern.compile("^eval(?:_(fail|warn|ordered|info))?\\s+instant\\s+(?:at\\s+(.+?))?\\s+(.+)$");
  private static final Pattern EVAL_RANGE =
      Pattern.compile("^eval(?:_(fail|warn|info))?\\s+range\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+?)\\s+(.+)$");
  private static final Pattern EXPECT =
      Pattern.compile("^expect\\s+(ordered|fail|warn|no_warn|info|no_info)(?:\\s+(regex|msg):(.+))?$");
  private static final Pattern DURATION = Pattern.compile(
      "^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$");

  /** One command of a script. */
  public sealed interface Command permits Load, Clear, Eval {
  }

  public record Load(int line, long gapMillis, boolean withNhcb, List<SeriesDescription> series) implements Command {
  }

  public record Clear(int line) implements Command {
  }

  public enum ExpectType {
    ORDERED, FAIL, WARN, NO_WARN, INFO, NO_INFO
  }

  /** An {@code expect} line: exact message, or regex (null message and null regex match anything). */
  public record Expectation(String message, Pattern regex) {
    boolean matches(String s) {
      if (regex != null) {
        return regex.matcher(s).find();
      }
      return message == null || message.equals(s);
    }

    @Override
    public String toString() {
      return regex != null ? "regex " + regex : message == null ? "any" : "msg " + message;
    }
  }

  /** Expected series of an eval: position (1-based, for ordered) and values. */
  public record Expected(int pos, List<Double> values) {
  }

  public static final class Eval implements Command {
    public final int line;
    public final String expr;
    public final boolean range;
    public final long start;
    public final long end;
    public final long step;
    boolean fail;
    boolean warn;
    boolean info;
    boolean ordered;
    String expectedFailMessage;
    Pattern expectedFailRegexp;
    final Map<ExpectType, List<Expectation>> expects = new EnumMap<>(ExpectType.class);
    boolean expectScalar;
    Double expectedScalar;
    final Map<Labels, Expected> expected = new LinkedHashMap<>();
    boolean expectsHistogram;

    Eval(int line, String expr, boolean range, long start, long end, long step) {
      this.line = line;
      this.expr = expr;
      this.range = range;
      this.start = start;
      this.end = end;
      this.step = step;
    }

    boolean isFail() {
      return fail || expects.containsKey(ExpectType.FAIL);
    }

    boolean isOrdered() {
      return ordered || expects.containsKey(ExpectType.ORDERED);
    }
  }

  public final List<Command> commands;

  private Script(List<Command> commands) {
    this.commands = commands;
  }

  public static Script parse(String input) {
    String[] raw = input.split("\n", -1);
    String[] lines = new String[raw.length];
    for (int i = 0; i < raw.length; i++) {
      String l = raw[i].strip();
      lines[i] = l.startsWith("#") ? "" : l;
    }
    List<Command> cmds = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      if (l.isEmpty()) {
        continue;
      }
      String c = SPACE.split(l, 2)[0].toLowerCase(java.util.Locale.ROOT);
      if (c.equals("clear")) {
        cmds.add(new Clear(i + 1));
      } else if (c.startsWith("load")) {
        Matcher m = LOAD.matcher(l);
        if (!m.matches()) {
          throw new IllegalArgumentException("line " + (i + 1) + ": invalid load command");
        }
        long gap = parseDuration(m.group(2));
        List<SeriesDescription> series = new ArrayList<>();
        int start = i;
        while (i + 1 < lines.length && !lines[i + 1].isEmpty()) {
          i++;
          series.add(SeriesDescription.parse(lines[i]));
        }
        cmds.add(new Load(start + 1, gap, m.group(1) != null, series));
      } else if (c.startsWith("eval")) {
        i = parseEval(lines, i, cmds);
      } else {
        throw new IllegalArgumentException("line " + (i + 1) + ": invalid command " + l);
      }
    }
    return new Script(cmds);
  }

  private static int parseEval(String[] lines, int i, List<Command> cmds) {
    String l = lines[i];
    Matcher inst = EVAL_INSTANT.matcher(l);
    Matcher rng = EVAL_RANGE.matcher(l);
    Eval ev;
    String mod;
    if (inst.matches()) {
      mod = inst.group(1);
      long at = inst.group(2) == null ? 0 : parseDuration(inst.group(2));
      ev = new Eval(i + 1, inst.group(3), false, at, at, 0);
    } else if (rng.matches()) {
      mod = rng.group(1);
      ev = new Eval(i + 1, rng.group(5), true, parseDuration(rng.group(2)), parseDuration(rng.group(3)),
          parseDuration(rng.group(4)));
    } else {
      throw new IllegalArgumentException("line " + (i + 1) + ": invalid evaluation command");
    }
    if (mod != null) {
      switch (mod) {
        case "ordered" -> ev.ordered = true;
        case "fail" -> ev.fail = true;
        case "warn" -> ev.warn = true;
        case "info" -> ev.info = true;
        default -> {
        }
      }
    }
    int pos = 1;
    while (i + 1 < lines.length) {
      i++;
      String def = lines[i];
      if (def.isEmpty()) {
        i--;
        break;
      }
      if (ev.fail && def.startsWith("expected_fail_message")) {
        ev.expectedFailMessage = def.substring("expected_fail_message".length()).strip();
        break;
      }
      if (ev.fail && def.startsWith("expected_fail_regexp")) {
        ev.expectedFailRegexp = Pattern.compile(def.substring("expected_fail_regexp".length()).strip());
        break;
      }
      if (def.split(" ")[0].equals("expect")) {
        Matcher m = EXPECT.matcher(def.strip());
        if (!m.matches()) {
          throw new IllegalArgumentException("line " + (i + 1) + ": invalid expect statement");
        }
        ExpectType t = ExpectType.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT));
        Expectation e;
        if (m.group(2) == null) {
          e = new Expectation(null, null);
        } else if (m.group(2).equals("msg")) {
          e = new Expectation(m.group(3).strip(), null);
        } else {
          e = new Expectation(null, Pattern.compile(m.group(3).strip()));
        }
        ev.expects.computeIfAbsent(t, k -> new ArrayList<>()).add(e);
        continue;
      }
      Double num = parseNumber(def);
      if (num != null) {
        ev.expectScalar = true;
        ev.expectedScalar = num;
        break;
      }
      SeriesDescription sd = SeriesDescription.parse(def);
      if (sd.hasHistogram()) {
        ev.expectsHistogram = true;
      }
      ev.expected.put(sd.labels(), new Expected(pos, sd.values()));
      pos++;
    }
    cmds.add(ev);
    return i;
  }

  /** Go's ParseInt(s, 0, 64) then ParseFloat, or null. */
  static Double parseNumber(String s) {
    try {
      String t = s.strip();
      if (t.matches("[+-]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*)")) {
        String x = t.replace("_", "");
        boolean neg = x.startsWith("-");
        if (x.startsWith("+") || neg) {
          x = x.substring(1);
        }
        long v;
        if (x.startsWith("0x") || x.startsWith("0X")) {
          v = Long.parseLong(x.substring(2), 16);
        } else if (x.startsWith("0o") || x.startsWith("0O")) {
          v = Long.parseLong(x.substring(2), 8);
        } else if (x.startsWith("0b") || x.startsWith("0B")) {
          v = Long.parseLong(x.substring(2), 2);
        } else if (x.length() > 1 && x.startsWith("0")) {
          v = Long.parseLong(x.substring(1), 8);
        } else {
          v = Long.parseLong(x);
        }
        return (double) (neg ? -v : v);
      }
      String l = t.toLowerCase(java.util.Locale.ROOT);
      String body = l.startsWith("+") || l.startsWith("-") ? l.substring(1) : l;
      if (body.equals("inf") || body.equals("infinity")) {
        return l.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
      if (body.equals("nan")) {
        return Double.NaN;
      }
      if (!t.matches("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?")) {
        return null;
      }
      return Double.parseDouble(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Prometheus' model.ParseDuration, in milliseconds. */
  public static long parseDuration(String s) {
    if (s.equals("0")) {
      return 0;
    }
    Matcher m = DURATION.matcher(s);
    if (s.isEmpty() || !m.matches()) {
      throw new IllegalArgumentException("not a valid duration string: " + s);
    }
    long[] unit = {365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000, 1};
    long total = 0;
    for (int g = 1; g <= 7; g++) {
      if (m.group(g) != null) {
        total += Long.parseLong(m.group(g)) * unit[g - 1];
      }
    }
    return total;
  }
}
