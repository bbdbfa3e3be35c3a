package io.promgate.routing.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A YAML node with its dotted path, reading typed values and recording every problem (key + bad value) in a
 * shared list instead of stopping at the first, so one {@code check config} run shows them all.
 */
final class ConfigNode {
  private final JsonNode node;
  private final String path;
  private final List<String> problems;

  ConfigNode(JsonNode node, String path, List<String> problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  String path() {
    return path;
  }

  boolean isMissing() {
    return node == null || node.isMissingNode() || node.isNull();
  }

  String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  void problem(String key, String message) {
    problems.add(key + ": " + message);
  }

  /** True if this is a mapping; otherwise records a problem (unless missing). */
  boolean requireObject() {
    if (isMissing()) {
      return false;
    }
    if (!node.isObject()) {
      problems.add((path.isEmpty() ? "(top level)" : path) + ": expected a mapping, got " + describe(node));
      return false;
    }
    return true;
  }

  /** Records an "unknown key" problem for every key of this mapping not in {@code allowed}. */
  void onlyKeys(Set<String> allowed) {
    if (isMissing() || !node.isObject()) {
      return;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        problems.add(key(k) + ": unknown key (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    }
  }

  ConfigNode child(String name) {
    JsonNode c = isMissing() ? null : node.get(name);
    return new ConfigNode(c, key(name), problems);
  }

  boolean has(String name) {
    return !child(name).isMissing();
  }

  Optional<String> string(String name) {
    ConfigNode c = child(name);
    if (c.isMissing()) {
      return Optional.empty();
    }
    if (!c.node.isValueNode()) {
      problem(c.path, "expected a scalar value, got " + describe(c.node));
      return Optional.empty();
    }
    return Optional.of(c.node.asText());
  }

  /** A scalar converted by {@code parse}; a parse failure becomes a problem naming key and value. */
  <T> Optional<T> value(String name, Function<String, T> parse) {
    Optional<String> s = string(name);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse.apply(s.get()));
    } catch (IllegalArgumentException e) {
      problem(key(name), "bad value \"" + s.get() + "\": " + e.getMessage());
      return Optional.empty();
    }
  }

  Optional<Duration> duration(String name) {
    return value(name, PromDurations::parse);
  }

  Optional<Boolean> bool(String name) {
    ConfigNode c = child(name);
    if (c.isMissing()) {
      return Optional.empty();
    }
    if (!c.node.isBoolean()) {
      problem(c.path, "bad value \"" + c.node.asText() + "\": expected true or false");
      return Optional.empty();
    }
    return Optional.of(c.node.booleanValue());
  }

  /** A list of scalars; a single scalar is NOT accepted (YAML typos like {@code backends: a} are caught). */
  List<String> stringList(String name) {
    ConfigNode c = child(name);
    if (c.isMissing()) {
      return List.of();
    }
    if (!c.node.isArray()) {
      problem(c.path, "bad value \"" + c.node.asText() + "\": expected a list, e.g. [a, b]");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < c.node.size(); i++) {
      JsonNode e = c.node.get(i);
      if (!e.isValueNode() || e.isNull()) {
        problem(c.path + "[" + i + "]", "expected a scalar value, got " + describe(e));
      } else {
        out.add(e.asText());
      }
    }
    return out;
  }

  /** A mapping of scalar to scalar (headers, external labels). */
  Map<String, String> stringMap(String name) {
    ConfigNode c = child(name);
    Map<String, String> out = new LinkedHashMap<>();
    if (!c.requireObject()) {
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = c.node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        problem(c.key(e.getKey()), "expected a scalar value, got " + describe(e.getValue()));
      } else {
        out.put(e.getKey(), e.getValue().asText());
      }
    }
    return out;
  }

  /** The entries of a mapping, as child nodes by key, in document order. */
  Map<String, ConfigNode> entries() {
    Map<String, ConfigNode> out = new LinkedHashMap<>();
    if (!requireObject()) {
      return out;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      out.put(k, child(k));
    }
    return out;
  }

  /** The elements of a sequence as child nodes {@code path[i]}. */
  List<ConfigNode> elements() {
    if (isMissing()) {
      return List.of();
    }
    if (!node.isArray()) {
      problems.add(path + ": expected a list, got " + describe(node));
      return List.of();
    }
    List<ConfigNode> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      out.add(new ConfigNode(node.get(i), path + "[" + i + "]", problems));
    }
    return out;
  }

  private static String describe(JsonNode n) {
    if (n == null || n.isNull()) {
      return "nothing";
    }
    if (n.isObject()) {
      return "a mapping";
    }
    if (n.isArray()) {
      return "a list";
    }
    return "\"" + n.asText() + "\"";
  }
}
