package io.promgate.routing.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.promgate.routing.Route;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads promgate's YAML into a {@link PromgateConfig}, validating everything eagerly: unknown keys, bad
 * durations, sizes, URLs and addresses, unknown backend types, routes naming unknown backends, empty or
 * gapped route windows ({@link RoutesValidator}). Every problem names its key and value; all problems are
 * reported at once in one {@link ConfigException}.
 *
 * <p>Defaults are filled here so that consumers see a complete configuration: no backends but a
 * {@code storage:} section means one {@code local} backend; backends but no routes means one route sending
 * every tenant, at every time, to every backend.
 */
public final class ConfigLoader {
  private static final Set<String> TOP_KEYS = Set.of("server", "storage", "tenancy", "backends", "routes",
      "dedup", "partial-response", "cache");
  /** Prometheus' default {@code --query.timeout}: a backend must be allowed at least as long as its queries. */
  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  private ConfigLoader() {}

  public static PromgateConfig load(Path file) {
    return load(file, Clock.systemUTC());
  }

  public static PromgateConfig load(Path file, Clock clock) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
    return parse(text, clock);
  }

  public static PromgateConfig parse(String yaml) {
    return parse(yaml, Clock.systemUTC());
  }

  public static PromgateConfig parse(String yaml, Clock clock) {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    JsonNode root;
    try {
      root = mapper.readTree(yaml);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException("not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
    } catch (IOException e) {
      throw new ConfigException("not valid YAML: " + e.getMessage());
    }
    List<String> problems = new ArrayList<>();
    PromgateConfig config = read(new ConfigNode(root, "", problems), clock, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }

  /** The embedded default: the bundled store in {@code ./data}, every query served by it. */
  public static PromgateConfig embeddedDefault() {
    return parse("storage: { path: data }\n");
  }

  private static PromgateConfig read(ConfigNode root, Clock clock, List<String> problems) {
    root.requireObject();
    root.onlyKeys(TOP_KEYS);

    ConfigNode server = root.child("server");
    server.requireObject();
    server.onlyKeys(Set.of("http", "grpc", "tls", "grpc-tls"));
    var srv = new PromgateConfig.Server(
        server.value("http", HostPort::parse).orElse(PromgateConfig.DEFAULT_HTTP),
        server.value("grpc", HostPort::parse).orElse(PromgateConfig.DEFAULT_GRPC),
        SecurityConfigReader.tls(server.child("tls")), SecurityConfigReader.tls(server.child("grpc-tls")));

    Optional<PromgateConfig.Storage> storage = Optional.empty();
    ConfigNode st = root.child("storage");
    if (st.requireObject()) {
      storage = Optional.of(StorageConfigReader.read(st));
    }

    ConfigNode tn = root.child("tenancy");
    tn.requireObject();
    tn.onlyKeys(Set.of("default", "require-auth", "upstream-header", "credentials", "limits"));
    Optional<String> defaultTenant = tn.has("default") ? tn.string("default").filter(s -> !s.isEmpty())
        : Optional.of("anonymous");
    defaultTenant.ifPresent(t -> {
      if (!t.matches("[A-Za-z0-9!_.*'()\\-]{1,150}") || t.equals(".") || t.equals("..")) {
        root.problem("tenancy.default", "bad value \"" + t + "\": not a valid tenant id");
      }
    });
    String header = tn.string("upstream-header").orElse("X-Scope-OrgID");
    if (!header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
      root.problem("tenancy.upstream-header", "bad value \"" + header + "\": not an HTTP header name");
    }
    boolean requireAuth = tn.bool("require-auth").orElse(false);
    var credentials = SecurityConfigReader.credentials(tn.child("credentials"));
    if (requireAuth && credentials.isEmpty() && !tn.has("credentials")) {
      root.problem("tenancy.require-auth", "true needs tenancy.credentials (nobody could use promgate)");
    }
    var tenancy = new PromgateConfig.Tenancy(defaultTenant, requireAuth, header, credentials,
        SecurityConfigReader.limits(tn.child("limits")));

    Map<String, BackendConfig> backends = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> e : root.child("backends").entries().entrySet()) {
      BackendConfig b = backend(e.getKey(), e.getValue());
      if (b != null) {
        backends.put(e.getKey(), b);
      }
    }
    if (backends.isEmpty() && !root.has("backends") && storage.isPresent()) {
      backends.put("local", new BackendConfig.Local("local"));
    }
    if (storage.isEmpty()) {
      for (BackendConfig b : backends.values()) {
        if (b instanceof BackendConfig.Local) {
          root.problem("backends." + b.name() + ".type", "type \"local\" needs a storage: section");
        }
      }
    }

    List<Route> routes = root.has("routes")
        ? RoutesValidator.read(root.child("routes"), backends.keySet(), clock, problems)
        : RoutesValidator.defaultRoutes(backends.keySet());

    ConfigNode dd = root.child("dedup");
    dd.requireObject();
    dd.onlyKeys(Set.of("replica-labels"));
    var dedup = new PromgateConfig.Dedup(dd.has("replica-labels") ? dd.stringList("replica-labels")
        : List.of("replica", "prometheus_replica"));

    ConfigNode cc = root.child("cache");
    cc.requireObject();
    cc.onlyKeys(Set.of("max-bytes", "max-freshness", "extent"));
    Duration extent = cc.duration("extent").orElse(PromgateConfig.Cache.DEFAULT_EXTENT);
    if (extent.compareTo(Duration.ofMinutes(1)) < 0) {
      // Shorter pieces cost more sub-requests than they save; zero would never end a range.
      cc.problem(cc.key("extent"), "bad value \"" + cc.string("extent").orElse("") + "\": must be at least 1m");
      extent = PromgateConfig.Cache.DEFAULT_EXTENT;
    }
    var cache = new PromgateConfig.Cache(cc.value("max-bytes", ByteSizes::parse).orElse(512L << 20),
        cc.duration("max-freshness").orElse(Duration.ofMinutes(1)), extent);

    return new PromgateConfig(srv, storage, tenancy, backends, routes, dedup,
        root.bool("partial-response").orElse(true), cache);
  }

  private static BackendConfig backend(String name, ConfigNode n) {
    if (!name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
      n.problem(n.path(), "bad backend name \"" + name + "\" (letters, digits, _ . -)");
    }
    if (!n.requireObject()) {
      if (n.isMissing()) {
        n.problem(n.path(), "empty backend (needs at least type:)");
      }
      return null;
    }
    Optional<String> type = n.string("type");
    if (type.isEmpty()) {
      n.problem(n.key("type"), "missing (one of prometheus, storeapi, local)");
      return null;
    }
    switch (type.get()) {
      case "prometheus" -> {
        Set<String> keys = new java.util.HashSet<>(Set.of("type", "url", "timeout", "forward-headers", "headers",
            "external-labels", "tls"));
        keys.addAll(BackendClientReader.GUARD_KEYS);
        keys.addAll(BackendClientReader.PROMETHEUS_KEYS);
        n.onlyKeys(keys);
        Optional<URI> url = n.value("url", ConfigLoader::httpUrl);
        if (!n.has("url")) {
          n.problem(n.key("url"), "missing (e.g. http://prometheus:9090)");
        }
        Duration timeout = n.duration("timeout").orElse(DEFAULT_TIMEOUT);
        Map<String, String> headers = n.stringMap("headers");
        var b = new BackendConfig.Prometheus(name, url.orElse(null), timeout, n.stringList("forward-headers"),
            headers, n.stringMap("external-labels"), SecurityConfigReader.backendTls(n.child("tls")),
            BackendClientReader.read(n), BackendClientReader.auth(n, headers), BackendClientReader.guard(n));
        return url.isPresent() ? b : null;
      }
      case "storeapi" -> {
        Set<String> keys = new java.util.HashSet<>(Set.of("type", "address", "timeout", "external-labels", "tls"));
        keys.addAll(BackendClientReader.GUARD_KEYS);
        n.onlyKeys(keys);
        Optional<HostPort> addr = n.value("address", HostPort::parse);
        if (!n.has("address")) {
          n.problem(n.key("address"), "missing (e.g. thanos-store:10901)");
        }
        Duration timeout = n.duration("timeout").orElse(DEFAULT_TIMEOUT);
        Map<String, String> ext = n.stringMap("external-labels");
        var tls = SecurityConfigReader.backendTls(n.child("tls"));
        var guard = BackendClientReader.guard(n);
        return addr.map(a -> new BackendConfig.StoreApi(name, a, timeout, ext, tls, guard)).orElse(null);
      }
      case "local" -> {
        n.onlyKeys(Set.of("type"));
        return new BackendConfig.Local(name);
      }
      default -> {
        n.problem(n.key("type"), "unknown backend type \"" + type.get() + "\" (one of prometheus, storeapi, local)");
        return null;
      }
    }
  }

  /** An absolute http(s) URL with a host; a path prefix (Thanos/Mimir behind a path) is kept. */
  static URI httpUrl(String text) {
    URI u;
    try {
      u = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + e.getReason());
    }
    if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
      throw new IllegalArgumentException("URL scheme must be http or https");
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      throw new IllegalArgumentException("URL has no host");
    }
    if (u.getRawQuery() != null || u.getRawFragment() != null) {
      throw new IllegalArgumentException("URL must not have a query or fragment");
    }
    return u;
  }
}
