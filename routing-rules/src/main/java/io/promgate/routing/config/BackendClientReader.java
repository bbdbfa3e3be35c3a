package io.promgate.routing.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the {@link BackendClient} keys of one backend, recording every problem under its key. */
final class BackendClientReader {
  /** Keys every remote backend (prometheus, storeapi) accepts for its guard. */
  static final Set<String> GUARD_KEYS = Set.of("breaker", "bulkhead");
  /** Keys a prometheus backend accepts for reading and credentials. */
  static final Set<String> PROMETHEUS_KEYS = Set.of("read", "basic-auth", "bearer-token", "bearer-token-file");

  private BackendClientReader() {}

  static BackendClient.ReadMethod read(ConfigNode n) {
    return n.value("read", BackendClient.ReadMethod::parse).orElse(BackendClient.ReadMethod.AUTO);
  }

  static BackendClient.Guard guard(ConfigNode n) {
    int bulkhead = n.value("bulkhead", s -> intIn(s, 0, 100_000)).orElse(0);
    ConfigNode b = n.child("breaker");
    BackendClient.Breaker d = BackendClient.Breaker.DEFAULT;
    if (!b.requireObject()) {
      return new BackendClient.Guard(d, bulkhead);
    }
    b.onlyKeys(Set.of("failure-rate", "minimum-calls", "window", "open-wait"));
    int window = b.value("window", s -> intIn(s, 1, 100_000)).orElse(d.window());
    int minimum = b.value("minimum-calls", s -> intIn(s, 1, 100_000)).orElse(Math.min(d.minimumCalls(), window));
    Duration openWait = b.duration("open-wait").orElse(d.openWait());
    if (openWait.isZero()) {
      b.problem(b.key("open-wait"), "bad value \"" + b.string("open-wait").orElse("") + "\": must be more than 0");
    }
    return new BackendClient.Guard(new BackendClient.Breaker(
        b.value("failure-rate", BackendClientReader::percent).orElse(d.failureRatePercent()),
        minimum, window, openWait.isZero() ? d.openWait() : openWait), bulkhead);
  }

  /**
   * {@code basic-auth}, {@code bearer-token} or {@code bearer-token-file}: at most one, and none together
   * with a static {@code Authorization} header (which one would win is not obvious to a reader).
   */
  static Optional<BackendClient.Auth> auth(ConfigNode n, Map<String, String> headers) {
    int given = (n.has("basic-auth") ? 1 : 0) + (n.has("bearer-token") ? 1 : 0) + (n.has("bearer-token-file") ? 1 : 0);
    if (given > 1) {
      n.problem(n.path(), "basic-auth, bearer-token and bearer-token-file exclude each other; use one");
      return Optional.empty();
    }
    if (given == 1 && headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Authorization"))) {
      n.problem(n.key("headers.Authorization"), "set together with "
          + (n.has("basic-auth") ? "basic-auth" : n.has("bearer-token") ? "bearer-token" : "bearer-token-file")
          + "; use one");
    }
    if (n.has("bearer-token")) {
      Optional<String> t = n.string("bearer-token");
      if (t.isPresent() && t.get().isBlank()) {
        n.problem(n.key("bearer-token"), "empty");
        return Optional.empty();
      }
      return t.map(v -> new BackendClient.Auth.Bearer(Optional.of(v), Optional.empty()));
    }
    if (n.has("bearer-token-file")) {
      return readableFile(n, "bearer-token-file")
          .map(p -> new BackendClient.Auth.Bearer(Optional.empty(), Optional.of(p)));
    }
    ConfigNode b = n.child("basic-auth");
    if (!b.requireObject()) {
      return Optional.empty();
    }
    b.onlyKeys(Set.of("username", "password", "password-file"));
    Optional<String> user = b.string("username");
    if (user.isEmpty()) {
      b.problem(b.key("username"), "missing");
    } else if (user.get().contains(":")) {
      // RFC 7617: the user-id cannot contain a colon, the first colon ends it.
      b.problem(b.key("username"), "bad value \"" + user.get() + "\": must not contain ':'");
    }
    if (b.has("password") && b.has("password-file")) {
      b.problem(b.path(), "password and password-file exclude each other; use one");
    } else if (!b.has("password") && !b.has("password-file")) {
      b.problem(b.key("password"), "missing (password or password-file)");
    }
    Optional<String> password = b.string("password");
    Optional<Path> file = b.has("password-file") ? readableFile(b, "password-file") : Optional.empty();
    if (user.isEmpty() || (password.isEmpty() && file.isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(new BackendClient.Auth.Basic(user.get(), password, file));
  }

  private static Optional<Path> readableFile(ConfigNode n, String key) {
    Optional<Path> p = n.value(key, Path::of);
    if (p.isPresent() && !Files.isReadable(p.get())) {
      n.problem(n.key(key), "bad value \"" + p.get() + "\": not a readable file");
      return Optional.empty();
    }
    return p;
  }

  private static int percent(String s) {
    return intIn(s, 1, 100);
  }

  private static int intIn(String s, int min, int max) {
    int v;
    try {
      v = Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a whole number");
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException("must be between " + min + " and " + max);
    }
    return v;
  }
}
