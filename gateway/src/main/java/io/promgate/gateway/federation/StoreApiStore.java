package io.promgate.gateway.federation;

import io.promgate.model.LabelMatcher;
import io.promgate.model.Labels;
import io.promgate.model.SelectHints;
import io.promgate.model.SeriesSet;
import io.promgate.model.StorageException;
import io.promgate.routing.config.BackendConfig;
import io.promgate.storeapi.StoreApiClientConfig;
import io.promgate.storeapi.StoreApiQueryable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Thanos StoreAPI backend. The tenant travels as gRPC metadata fixed per client, so each tenant gets a
 * view ({@link StoreApiQueryable#withTenant}) of one shared client, built by {@link #start} on a worker:
 * with {@code tls:} that reads the PEM files and initialises TLS, which must not happen on an event loop.
 */
public final class StoreApiStore implements BackendStore {
  private final Vertx vertx;
  private final BackendConfig.StoreApi config;
  private final Map<String, StoreApiQueryable> clients = new ConcurrentHashMap<>();
  private volatile StoreApiQueryable shared;
  private volatile Throwable startFailure;

  public StoreApiStore(Vertx vertx, BackendConfig.StoreApi config) {
    this.vertx = vertx;
    this.config = config;
  }

  /**
   * Builds the shared client. Never fails: an unreadable certificate file fails this backend's calls (a
   * warning naming it, as any backend failure), not the gateway's start.
   */
  public Future<Void> start() {
    return StoreApiQueryable.createAsync(vertx, clientConfig(config)).transform(ar -> {
      if (ar.succeeded()) {
        shared = ar.result();
      } else {
        startFailure = ar.cause();
      }
      return Future.succeededFuture();
    });
  }

  @Override
  public String name() {
    return config.name();
  }

  private StoreApiQueryable client(String tenant) {
    if (startFailure != null) {
      throw new StorageException("storeapi backend " + config.name() + ": " + startFailure.getMessage(), startFailure);
    }
    // Without start() (tests that build the store by hand) each tenant gets its own lazily built client.
    return clients.computeIfAbsent(tenant, t -> shared != null ? shared.withTenant(t)
        : StoreApiQueryable.create(vertx, clientConfig(config).withTenant(t)));
  }

  private <T> Future<T> with(String tenant, java.util.function.Function<StoreApiQueryable, Future<T>> call) {
    try {
      return call.apply(client(tenant));
    } catch (StorageException e) {
      return Future.failedFuture(e);
    }
  }

  /** Address, deadline and {@code tls:} (CA, client certificate, insecure-skip-verify) of the backend. */
  static StoreApiClientConfig clientConfig(BackendConfig.StoreApi c) {
    StoreApiClientConfig out = StoreApiClientConfig.plaintext(c.address().host(), c.address().port())
        .withTimeout(c.timeout());
    if (c.tls().isPresent()) {
      var t = c.tls().get();
      out = out.withTls(t.caFile().map(java.nio.file.Path::toString).orElse(null), t.insecureSkipVerify());
      if (t.certFile().isPresent() && t.keyFile().isPresent()) {
        out = out.withClientCertificate(t.certFile().get().toString(), t.keyFile().get().toString());
      }
    }
    return out;
  }

  @Override
  public Future<SeriesSet> select(String tenant, long mint, long maxt, SelectHints hints, List<LabelMatcher> matchers) {
    return with(tenant, c -> c.selectAsync(mint, maxt, true, hints, matchers));
  }

  /** Cancels the stream once {@code admit} refuses a series: the backend stops sending the rest. */
  @Override
  public Future<SeriesSet> select(String tenant, long mint, long maxt, SelectHints hints, List<LabelMatcher> matchers,
      java.util.function.Predicate<Labels> admit) {
    return with(tenant, c -> c.selectAsync(mint, maxt, true, hints, matchers, admit));
  }

  @Override
  public Future<List<Labels>> series(String tenant, long mint, long maxt, List<List<LabelMatcher>> matcherSets) {
    List<Future<SeriesSet>> fs = new ArrayList<>();
    for (List<LabelMatcher> ms : matcherSets) {
      fs.add(with(tenant, c -> c.selectAsync(mint, maxt, true,
          new SelectHints(mint, maxt, 0, 0, "series", List.of(), false), ms)));
    }
    return Future.all(fs).map(cf -> {
      Set<Labels> out = new LinkedHashSet<>();
      for (Future<SeriesSet> f : fs) {
        SeriesSet s = f.result();
        while (s.next()) {
          out.add(s.at().labels());
        }
      }
      return new ArrayList<>(out);
    });
  }

  @Override
  public Future<List<String>> labelNames(String tenant, long mint, long maxt, List<LabelMatcher> matchers) {
    return with(tenant, c -> c.labelNamesAsync(mint, maxt, matchers));
  }

  @Override
  public Future<List<String>> labelValues(String tenant, String name, long mint, long maxt,
      List<LabelMatcher> matchers) {
    return with(tenant, c -> c.labelValuesAsync(mint, maxt, name, matchers));
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> fs = new ArrayList<>();
    clients.values().forEach(c -> fs.add(c.close()));
    if (shared != null) {
      fs.add(shared.close());
    }
    return Future.join(fs).mapEmpty();
  }
}
