package io.promgate.gateway.federation;

import static io.promgate.gateway.federation.FederatedQueryableTest.CLOCK;
import static io.promgate.gateway.federation.FederatedQueryableTest.NOW;
import static io.promgate.gateway.federation.FederatedQueryableTest.await;
import static io.promgate.gateway.federation.FederatedQueryableTest.s;
import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.gateway.backend.ApiRequest;
import io.promgate.gateway.backend.ApiResponse;
import io.promgate.gateway.backend.ParsedQuery;
import io.promgate.gateway.http.ApiException;
import io.promgate.gateway.http.Endpoint;
import io.promgate.gateway.metrics.LimitRefusals;
import io.promgate.gateway.security.QueryLimiter;
import io.promgate.promql.engine.Engine;
import io.promgate.promql.parser.PromQLParser;
import io.promgate.routing.config.ConfigLoader;
import io.promgate.routing.config.PromgateConfig;
import io.promgate.routing.plan.TimeRangePlanner;
import io.promgate.tenant.TenantSet;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With {@code max-query-range} set, the edge's check and the federation share one parse of the query. */
class ParseOnceTest {
  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger parses = new AtomicInteger();

  @AfterEach
  void close() {
    vertx.close();
  }

  private final PromgateConfig config = ConfigLoader.parse(FederatedQueryableTest.SPLIT + """
      tenancy:
        limits: { max-query-range: 1d }
      """, CLOCK);

  private FederatedBackend backend() {
    var recent = new FederatedQueryableTest.FakeStore("recent", s(NOW - 1000, 2, "__name__", "up"));
    var older = new FederatedQueryableTest.FakeStore("older", s(NOW - 7_200_000, 1, "__name__", "up"));
    Map<String, BackendStore> stores = Map.of("recent", recent, "older", older);
    TimeRangePlanner planner = TimeRangePlanner.of(config, CLOCK);
    FederatedQueryable fq = new FederatedQueryable(planner, stores, config.backends(),
        new GuardRegistry(vertx, GuardOptions.defaults()));
    return new FederatedBackend(vertx, fq, config.backends(), Map.of(),
        new MetadataFederation(planner, stores, config.backends(), fq),
        Engine.builder().lookbackDelta(Duration.ofMinutes(5)).build(), 300_000, List.of(), true, CLOCK,
        config.tenancy().limits());
  }

  private ApiRequest request(String query) {
    String raw = "query=" + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8)
        + "&start=" + (NOW - 3 * 3_600_000) / 1000 + "&end=" + NOW / 1000 + "&step=60";
    return new ApiRequest(Endpoint.QUERY_RANGE, HttpMethod.GET, "/api/v1/query_range", raw, null, false,
        TenantSet.of("t"), MultiMap.caseInsensitiveMultiMap(), new ParsedQuery(q -> {
          parses.incrementAndGet();
          return PromQLParser.parse(q);
        }));
  }

  @Test
  void limitCheckAndFederationParseTheQueryOnce() throws Exception {
    QueryLimiter limiter = QueryLimiter.of(config.tenancy().limits(), new LimitRefusals());
    FederatedBackend backend = backend();
    ApiRequest r = request("sum(rate(up[5m]))");
    AtomicInteger parsedByTheLimiter = new AtomicInteger();
    ApiResponse res = await(limiter.guard(r, () -> {
      parsedByTheLimiter.set(parses.get());
      return backend.rangeQuery(r);
    }));
    assertThat(res).isNotNull();
    assertThat(parsedByTheLimiter).as("the selectors' ranges were checked").hasValue(1);
    assertThat(parses).as("and the federation reused that parse").hasValue(1);
  }

  @Test
  void aParseErrorIsParsedOnceAndStillTheSame400() throws Exception {
    QueryLimiter limiter = QueryLimiter.of(config.tenancy().limits(), new LimitRefusals());
    FederatedBackend backend = backend();
    ApiRequest r = request("sum(up");
    Throwable err = limiter.guard(r, () -> backend.rangeQuery(r)).toCompletionStage().toCompletableFuture()
        .handle((v, t) -> t).get(10, TimeUnit.SECONDS);
    assertThat(err).isInstanceOf(ApiException.class).hasMessageStartingWith("invalid parameter \"query\": ");
    assertThat(((ApiException) err).type().status()).isEqualTo(400);
    assertThat(parses).hasValue(1);
  }

  @Test
  void aDerivedRequestWithAnotherTextIsParsedAfresh() {
    ApiRequest r = request("up");
    var first = r.expr();
    assertThat(r.expr()).isSameAs(first);
    ApiRequest other = new ApiRequest(r.endpoint(), r.method(), r.apiPath(), "query=down", null, false, r.tenants(),
        r.headers(), r.parsed());
    assertThat(PromQLParser.parse("down")).isEqualTo(other.expr());
    assertThat(parses).hasValue(2);
  }
}
