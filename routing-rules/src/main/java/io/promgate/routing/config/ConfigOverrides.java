package io.promgate.routing.config;

import io.promgate.routing.Route;
import io.promgate.routing.TimeBound;
import io.promgate.routing.Window;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Command-line flags that override the config file (DESIGN.md, "Interfaces"): {@code --listen} →
 * {@code server.http}, {@code --grpc-listen} → {@code server.grpc}, {@code --storage-path} →
 * {@code storage.path}, {@code --upstream URL} → one {@code prometheus} backend named {@value #UPSTREAM}
 * serving every tenant at every time. Without a config file, {@code --upstream} runs stateless (no store,
 * no gRPC port) unless {@code --storage-path} asks for a store.
 */
public record ConfigOverrides(Optional<String> listen, Optional<String> grpcListen, Optional<String> upstream,
    Optional<String> storagePath) {

  public static final String UPSTREAM = "upstream";

  public static ConfigOverrides none() {
    return new ConfigOverrides(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * Builds the effective configuration: {@code base} is the file's config, or empty for "no config file"
   * (then the embedded default, or stateless proxying when {@code --upstream} is given).
   */
  public PromgateConfig apply(Optional<PromgateConfig> base) {
    PromgateConfig c = base.orElseGet(() -> upstream.isPresent()
        ? ConfigLoader.parse("{}") : ConfigLoader.embeddedDefault());
    var server = new PromgateConfig.Server(
        listen.map(v -> parse("--listen", v, HostPort::parse)).orElse(c.server().http()),
        grpcListen.map(v -> parse("--grpc-listen", v, HostPort::parse)).orElse(c.server().grpc()),
        c.server().tls(), c.server().grpcTls());
    var storage = c.storage();
    if (storagePath.isPresent()) {
      Path p = Path.of(storagePath.get());
      storage = Optional.of(storage.map(s -> s.withPath(p))
          .orElse(new PromgateConfig.Storage(p, Duration.ofDays(15), Duration.ofHours(4))));
    }
    Map<String, BackendConfig> backends = c.backends();
    List<Route> routes = c.routes();
    if (upstream.isPresent()) {
      URI url = parse("--upstream", upstream.get(), ConfigLoader::httpUrl);
      // Keep forward-headers etc. of a same-named backend in the file, so a file can tune the upstream.
      BackendConfig.Prometheus old = c.backends().get(UPSTREAM) instanceof BackendConfig.Prometheus p ? p : null;
      var b = new BackendConfig.Prometheus(UPSTREAM, url,
          old != null ? old.timeout() : Duration.ofMinutes(2),
          old != null ? old.forwardHeaders() : List.of(),
          old != null ? old.headers() : Map.of(),
          old != null ? old.externalLabels() : Map.of(),
          old != null ? old.tls() : Optional.empty(),
          old != null ? old.read() : BackendClient.ReadMethod.AUTO,
          old != null ? old.auth() : Optional.empty(),
          old != null ? old.guard() : BackendClient.Guard.DEFAULT);
      backends = new LinkedHashMap<>();
      backends.put(UPSTREAM, b);
      Window all = new Window("--upstream", TimeBound.UNBOUNDED, TimeBound.UNBOUNDED, List.of(UPSTREAM));
      routes = List.of(new Route("--upstream", List.of("*"), List.of(all)));
    }
    return new PromgateConfig(server, storage, c.tenancy(), backends, routes, c.dedup(), c.partialResponse(),
        c.cache());
  }

  private static <T> T parse(String flag, String value, java.util.function.Function<String, T> f) {
    try {
      return f.apply(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(flag + ": bad value \"" + value + "\": " + e.getMessage());
    }
  }
}
