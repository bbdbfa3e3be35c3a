package io.promgate.gateway.cli;

import io.promgate.gateway.GatewayPlugin;
import io.promgate.gateway.GatewayServer;
import io.promgate.gateway.Version;
import io.promgate.routing.config.ConfigException;
import io.promgate.routing.config.ConfigLoader;
import io.promgate.routing.config.ConfigOverrides;
import io.promgate.routing.config.PromgateConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code promgate run}: loads the config (or the embedded default), applies flag overrides, starts the
 * {@link GatewayPlugin}s found by ServiceLoader and the HTTP server, and serves until stopped.
 */
@Command(name = "run", description = "Start the gateway.")
final class RunCommand implements Callable<Integer> {
  private static volatile boolean serving;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config (default: the embedded default)")
  Path config;

  @Option(names = "--listen", paramLabel = "HOST:PORT", description = "HTTP listen address (server.http; default 0.0.0.0:9095)")
  String listen;

  @Option(names = "--grpc-listen", paramLabel = "HOST:PORT", description = "gRPC StoreAPI address (server.grpc; default 0.0.0.0:10901)")
  String grpcListen;

  @Option(names = "--upstream", paramLabel = "URL", description = "One Prometheus serving everything; alone: stateless")
  String upstream;

  @Option(names = "--storage-path", paramLabel = "DIR", description = "Bundled store directory (storage.path)")
  String storagePath;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  static boolean isServing() {
    return serving;
  }

  @Override
  public Integer call() throws Exception {
    PromgateConfig effective;
    try {
      Optional<PromgateConfig> base = Optional.ofNullable(config).map(ConfigLoader::load);
      effective = new ConfigOverrides(Optional.ofNullable(listen), Optional.ofNullable(grpcListen),
          Optional.ofNullable(upstream), Optional.ofNullable(storagePath)).apply(base);
    } catch (ConfigException e) {
      for (String p : e.problems()) {
        spec.commandLine().getErr().println((config != null ? config + ": " : "") + p);
      }
      return 1;
    }
    List<GatewayPlugin> plugins = new ArrayList<>();
    ServiceLoader.load(GatewayPlugin.class).forEach(plugins::add);
    GatewayServer server;
    try {
      server = GatewayServer.start(effective, plugins).toCompletionStage().toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      spec.commandLine().getErr().println("promgate: cannot start: " + e.getCause().getMessage());
      return 1;
    }
    var http = effective.server().http();
    System.out.println("promgate " + Version.get() + " listening on http://" + http.host() + ":" + server.port()
        + " answering from " + server.backend().describe() + " (" + GatewayServer.eventLoops() + " event loops, "
        + server.transport() + ")");
    System.out.flush();
    serving = true;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // shutting down anyway
      }
    }, "promgate-shutdown"));
    return 0;
  }
}
