package io.promgate.routing.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates {@code tenancy.credentials} and {@code server.tls}. Kept apart from
 * {@link ConfigLoader} so that the secret-handling rules sit in one short file.
 *
 * <p>Secrets: a credential holds only a hash. Keys that would carry a plain secret ({@code password},
 * {@code bearer-token}, {@code token}) are refused with a pointer to the hashed key, and a bad hash value is
 * never echoed back in the message (it may well be a pasted password).
 */
final class SecurityConfigReader {
  static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");
  static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-fA-F]{64}");
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9!_.*'()\\-]{1,150}");
  private static final Set<String> KEYS = Set.of("name", "user", "password-hash", "bearer-token-hash", "read", "write");
  private static final Set<String> QUERY_LIMIT_KEYS = Set.of("max-query-range", "max-concurrent-queries",
      "max-series-per-query", "max-samples-per-query", "query-timeout", "max-request-body", "max-points-per-series");
  private static final Set<String> PLAIN = Set.of("password", "bearer-token", "token", "secret");

  private SecurityConfigReader() {}

  static List<SecurityConfig.Credential> credentials(ConfigNode list) {
    List<SecurityConfig.Credential> out = new ArrayList<>();
    Set<String> users = new HashSet<>();
    Set<String> names = new HashSet<>();
    Set<String> tokens = new HashSet<>();
    int i = 0;
    for (ConfigNode n : list.elements()) {
      SecurityConfig.Credential c = credential(n, i++, users, tokens);
      if (c != null) {
        if (!names.add(c.name())) {
          n.problem(n.key("name"), "duplicate credential name \"" + c.name() + "\"");
        }
        out.add(c);
      }
    }
    return out;
  }

  private static SecurityConfig.Credential credential(ConfigNode n, int index, Set<String> users, Set<String> tokens) {
    if (!n.requireObject()) {
      n.problem(n.path(), "expected a mapping with user + password-hash or bearer-token-hash");
      return null;
    }
    for (String k : PLAIN) {
      if (n.has(k)) {
        n.problem(n.key(k), "plain-text secrets are not accepted: use "
            + (k.equals("password") ? "password-hash (bcrypt $2y$..., or sha256:<hex>)" : "bearer-token-hash (sha256:<hex>)"));
      }
    }
    Set<String> allowed = new HashSet<>(KEYS);
    allowed.addAll(PLAIN); // already reported above, not again as unknown
    n.onlyKeys(allowed);
    Optional<String> user = n.string("user");
    Optional<String> pw = n.string("password-hash");
    Optional<String> token = n.string("bearer-token-hash");
    String secret = null;
    if (user.isPresent()) {
      if (user.get().isEmpty() || user.get().indexOf(':') >= 0) {
        n.problem(n.key("user"), "bad value \"" + user.get() + "\": must be non-empty and contain no ':'");
      } else if (!users.add(user.get())) {
        n.problem(n.key("user"), "duplicate user \"" + user.get() + "\"");
      }
      if (token.isPresent()) {
        n.problem(n.key("bearer-token-hash"), "a credential is either user + password-hash or bearer-token-hash, not both");
      }
      if (pw.isEmpty()) {
        n.problem(n.key("password-hash"), "missing (user " + user.get() + " needs a bcrypt or sha256:<hex> hash)");
      } else if (!BCRYPT.matcher(pw.get()).matches() && !SHA256.matcher(pw.get()).matches()) {
        n.problem(n.key("password-hash"), "bad value (not shown, it may be a secret): expected bcrypt"
            + " ($2a$, $2b$ or $2y$ with cost 04-31 and 53 characters) or sha256:<64 hex digits>");
      } else {
        secret = pw.get();
      }
    } else if (token.isPresent()) {
      if (pw.isPresent()) {
        n.problem(n.key("password-hash"), "password-hash needs a user");
      }
      if (!SHA256.matcher(token.get()).matches()) {
        n.problem(n.key("bearer-token-hash"), "bad value (not shown, it may be a secret): expected sha256:<64 hex digits>");
      } else if (!tokens.add(token.get().toLowerCase(java.util.Locale.ROOT))) {
        n.problem(n.key("bearer-token-hash"), "the same token hash is listed twice");
      } else {
        secret = token.get();
      }
    } else {
      n.problem(n.path(), "needs user + password-hash, or bearer-token-hash");
    }
    List<String> read = grants(n, "read");
    List<String> write = grants(n, "write");
    if (read.isEmpty() && write.isEmpty() && !n.has("read") && !n.has("write")) {
      n.problem(n.path(), "grants nothing: add read: [tenant...] and/or write: [tenant...] (\"*\" for all)");
    }
    if (secret == null) {
      return null;
    }
    String name = n.string("name").orElse(user.orElse("token-" + index));
    return new SecurityConfig.Credential(name, user, secret, read, write);
  }

  private static List<String> grants(ConfigNode n, String key) {
    List<String> ids = n.stringList(key);
    for (String id : ids) {
      if (!id.equals("*") && (!TENANT.matcher(id).matches() || id.equals(".") || id.equals(".."))) {
        n.problem(n.key(key), "bad value \"" + id + "\": not a tenant id or \"*\"");
      }
    }
    return ids;
  }

  static Optional<SecurityConfig.Tls> tls(ConfigNode n) {
    if (!n.requireObject()) {
      return Optional.empty();
    }
    n.onlyKeys(Set.of("cert-file", "key-file", "client-ca-file"));
    Optional<Path> cert = file(n, "cert-file");
    Optional<Path> key = file(n, "key-file");
    Optional<Path> ca = file(n, "client-ca-file");
    if (!n.has("cert-file")) {
      n.problem(n.key("cert-file"), "missing (PEM certificate chain)");
    }
    if (!n.has("key-file")) {
      n.problem(n.key("key-file"), "missing (PEM private key)");
    }
    if (cert.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new SecurityConfig.Tls(cert.get(), key.get(), ca));
  }

  static SecurityConfig.Limits limits(ConfigNode n) {
    if (!n.requireObject()) {
      return SecurityConfig.Limits.NONE;
    }
    Set<String> keys = new HashSet<>(LIMIT_KEYS);
    keys.add("tenants");
    n.onlyKeys(keys);
    SecurityConfig.QueryLimits defaults = queryLimits(n, SecurityConfig.QueryLimits.NONE);
    IngestLimits ingestDefaults = ingestLimits(n, IngestLimits.NONE);
    java.util.Map<String, SecurityConfig.QueryLimits> per = new java.util.LinkedHashMap<>();
    java.util.Map<String, IngestLimits> ingestPer = new java.util.LinkedHashMap<>();
    for (var e : n.child("tenants").entries().entrySet()) {
      if (!TENANT.matcher(e.getKey()).matches()) {
        n.problem(e.getValue().path(), "not a tenant id");
      }
      if (e.getValue().requireObject()) {
        e.getValue().onlyKeys(LIMIT_KEYS);
        per.put(e.getKey(), queryLimits(e.getValue(), defaults));
        ingestPer.put(e.getKey(), ingestLimits(e.getValue(), ingestDefaults));
      }
    }
    return new SecurityConfig.Limits(defaults, per, ingestDefaults, ingestPer);
  }

  private static final Set<String> LIMIT_KEYS = union(QUERY_LIMIT_KEYS, Set.of("ingestion-rate",
      "ingestion-burst-size", "max-label-names-per-series", "max-label-name-length", "max-label-value-length"));

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new HashSet<>(a);
    u.addAll(b);
    return Set.copyOf(u);
  }

  private static IngestLimits ingestLimits(ConfigNode n, IngestLimits inherit) {
    double rate = inherit.ingestionRate();
    if (n.has("ingestion-rate")) {
      Optional<String> v = n.string("ingestion-rate");
      try {
        rate = Double.parseDouble(v.orElse("0"));
        if (!(rate >= 0) || Double.isInfinite(rate)) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        n.problem(n.key("ingestion-rate"), "bad value \"" + v.orElse("") + "\": expected samples per second >= 0 (0: no limit)");
        rate = 0;
      }
    }
    return new IngestLimits(rate,
        count(n, "ingestion-burst-size", inherit.ingestionBurstSize()),
        intCount(n, "max-label-names-per-series", inherit.maxLabelNamesPerSeries()),
        intCount(n, "max-label-name-length", inherit.maxLabelNameLength()),
        intCount(n, "max-label-value-length", inherit.maxLabelValueLength()));
  }

  /** As {@link #count}, for limits held in an int (a larger value is as good as none). */
  private static int intCount(ConfigNode n, String key, int inherit) {
    return (int) Math.min(Integer.MAX_VALUE, count(n, key, inherit));
  }

  private static SecurityConfig.QueryLimits queryLimits(ConfigNode n, SecurityConfig.QueryLimits inherit) {
    Optional<java.time.Duration> range = n.has("max-query-range") ? n.duration("max-query-range")
        .filter(d -> !d.isZero()) : inherit.maxQueryRange();
    int concurrent = inherit.maxConcurrentQueries();
    if (n.has("max-concurrent-queries")) {
      Optional<String> v = n.string("max-concurrent-queries");
      try {
        concurrent = Integer.parseInt(v.orElse("0"));
        if (concurrent < 0) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        n.problem(n.key("max-concurrent-queries"), "bad value \"" + v.orElse("") + "\": expected a whole number >= 0 (0: no limit)");
      }
    }
    Optional<java.time.Duration> timeout = n.has("query-timeout") ? n.duration("query-timeout")
        .filter(d -> !d.isZero()) : inherit.queryTimeout();
    long body = inherit.maxRequestBody();
    if (n.has("max-request-body")) {
      body = n.value("max-request-body", ByteSizes::parse).orElse(body);
      if (body <= 0) {
        n.problem(n.key("max-request-body"), "bad value \"" + n.string("max-request-body").orElse("")
            + "\": expected a size > 0, e.g. 10MiB");
      }
    }
    return new SecurityConfig.QueryLimits(range, concurrent, count(n, "max-series-per-query", inherit.maxSeriesPerQuery()),
        count(n, "max-samples-per-query", inherit.maxSamplesPerQuery()), timeout, body,
        count(n, "max-points-per-series", inherit.maxPointsPerSeries()));
  }

  /** A whole number >= 0 (0: no limit), or {@code inherit} when the key is absent. */
  private static long count(ConfigNode n, String key, long inherit) {
    if (!n.has(key)) {
      return inherit;
    }
    Optional<String> v = n.string(key);
    try {
      long x = Long.parseLong(v.orElse("0").replace("_", ""));
      if (x >= 0) {
        return x;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    n.problem(n.key(key), "bad value \"" + v.orElse("") + "\": expected a whole number >= 0 (0: no limit)");
    return inherit;
  }

  static Optional<SecurityConfig.BackendTls> backendTls(ConfigNode n) {
    if (!n.requireObject()) {
      return Optional.empty();
    }
    n.onlyKeys(Set.of("ca-file", "cert-file", "key-file", "insecure-skip-verify"));
    Optional<Path> cert = file(n, "cert-file");
    Optional<Path> key = file(n, "key-file");
    if (n.has("cert-file") != n.has("key-file")) {
      n.problem(n.key(n.has("cert-file") ? "key-file" : "cert-file"), "missing (a client certificate needs both cert-file and key-file)");
    }
    return Optional.of(new SecurityConfig.BackendTls(file(n, "ca-file"), cert, key,
        n.bool("insecure-skip-verify").orElse(false)));
  }

  private static Optional<Path> file(ConfigNode n, String key) {
    Optional<Path> p = n.value(key, Path::of);
    if (p.isPresent() && !Files.isReadable(p.get())) {
      n.problem(n.key(key), "bad value \"" + p.get() + "\": not a readable file");
      return Optional.empty();
    }
    return p;
  }
}
