package io.promgate.routing.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.model.LabelMatcher;
import io.promgate.routing.config.ConfigLoader;
import io.promgate.routing.config.PromgateConfig;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeRangePlannerTest {
  static final Instant NOW = Instant.parse("2026-01-10T00:00:00Z");
  static final long N = NOW.toEpochMilli();
  static final long H = 3_600_000;
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  static final String SPLIT = """
      storage: { path: data }
      backends:
        recent: { type: prometheus, url: http://recent:9090 }
        older:  { type: prometheus, url: http://older:9090 }
        local:  { type: local }
      routes:
        - tenants: ["*"]
          windows:
            - { newer-than: 1h, backends: [recent] }
            - { older-than: 1h, backends: [older, local] }
      """;

  static TimeRangePlanner planner(String yaml) {
    PromgateConfig c = ConfigLoader.parse(yaml, CLOCK);
    return TimeRangePlanner.of(c, CLOCK);
  }

  static SelectorRequest sel(long start, long end, LabelMatcher... ms) {
    List<LabelMatcher> l = ms.length == 0 ? List.of(LabelMatcher.eq("__name__", "up")) : List.of(ms);
    return new SelectorRequest(l, start, end);
  }

  static SelectorPlan one(TimeRangePlanner p, SelectorRequest s) {
    return p.plan("anonymous", List.of(s)).selectors().get(0);
  }

  /** Boundary at now-1h: recent serves [now-1h, +inf), older and local (-inf, now-1h-1]. */
  @ParameterizedTest(name = "[{0}, {1}] -> {2}")
  @CsvSource({
      // start offset from boundary, end offset from boundary (ms), expected assignments
      "-300000, 300000, 'recent[0,300000] older[-300000,-1] local[-300000,-1]'",
      "0, 300000, 'recent[0,300000]'",
      "-1, 0, 'recent[0,0] older[-1,-1] local[-1,-1]'",
      "-300000, -1, 'older[-300000,-1] local[-300000,-1]'",
      "-1, -1, 'older[-1,-1] local[-1,-1]'",
      "0, 0, 'recent[0,0]'",
  })
  void splitsAtTheBoundaryWithoutOverlapOrGap(long startOff, long endOff, String expected) {
    long b = N - H;
    SelectorPlan sp = one(planner(SPLIT), sel(b + startOff, b + endOff));
    StringBuilder got = new StringBuilder();
    for (Assignment a : sp.assignments()) {
      if (got.length() > 0) {
        got.append(' ');
      }
      got.append(a.backend()).append('[').append(a.startMs() - b).append(',').append(a.endMs() - b).append(']');
    }
    assertThat(got.toString()).isEqualTo(expected);
  }

  @Test
  void prunedBackendsCarryTheTimeRangeReason() {
    SelectorPlan sp = one(planner(SPLIT), sel(N - 10 * 60_000, N));
    assertThat(sp.assignments()).extracting(Assignment::backend).containsExactly("recent");
    assertThat(sp.pruned()).extracting(Pruned::backend).containsExactly("older", "local");
    assertThat(sp.pruned()).allSatisfy(p -> {
      assertThat(p.reason()).isEqualTo(Pruned.Reason.TIME_RANGE);
      assertThat(p.detail()).contains("serves [-inf, " + (N - H) + ")");
    });
  }

  @Test
  void soleBackendOnlyWhenOneBackendServesEverySelectorFully() {
    TimeRangePlanner p = planner(SPLIT);
    assertThat(p.plan("t", List.of(sel(N - 600_000, N), sel(N - 60_000, N))).soleBackend()).contains("recent");
    assertThat(p.plan("t", List.of(sel(N - 2 * H, N))).soleBackend()).isEmpty();
    assertThat(p.plan("t", List.of()).soleBackend()).isEmpty();
    assertThat(planner(SPLIT.replace("[older, local]", "[older]"))
        .plan("t", List.of(sel(N - 3 * H, N - 2 * H))).soleBackend()).contains("older");
  }

  @Test
  void externalLabelsThatCannotMatchPruneTheBackend() {
    String yaml = """
        backends:
          a: { type: prometheus, url: http://a:9090, external-labels: { replica: a, dc: eu } }
          b: { type: prometheus, url: http://b:9090, external-labels: { replica: b, dc: eu } }
        routes:
          - windows: [ { backends: [a, b] } ]
        """;
    TimeRangePlanner p = planner(yaml);
    SelectorPlan sp = one(p, sel(0, N, LabelMatcher.eq("__name__", "up"), LabelMatcher.eq("replica", "b")));
    assertThat(sp.assignments()).extracting(Assignment::backend).containsExactly("b");
    assertThat(sp.pruned()).singleElement().satisfies(x -> {
      assertThat(x.reason()).isEqualTo(Pruned.Reason.EXTERNAL_LABELS);
      assertThat(x.detail()).contains("replica=\"a\"").contains("replica=\"b\"");
    });
    // A regex or a negative matcher is decided by the value too; a matcher on other labels never prunes.
    assertThat(one(p, sel(0, N, LabelMatcher.of(LabelMatcher.Type.RE, "dc", "us.*"))).assignments()).isEmpty();
    assertThat(one(p, sel(0, N, LabelMatcher.of(LabelMatcher.Type.NEQ, "replica", "a"))).assignments())
        .extracting(Assignment::backend).containsExactly("b");
    assertThat(one(p, sel(0, N, LabelMatcher.eq("job", "x"))).assignments()).hasSize(2);
  }

  @Test
  void tenantsGetTheirFirstMatchingRouteAndOtherBackendsArePrunedForTenant() {
    String yaml = """
        backends:
          teams:  { type: prometheus, url: http://teams:9090 }
          shared: { type: prometheus, url: http://shared:9090 }
        routes:
          - tenants: ["team-*"]
            windows: [ { backends: [teams] } ]
          - tenants: ["*"]
            windows: [ { backends: [shared] } ]
        """;
    TimeRangePlanner p = planner(yaml);
    QueryPlan team = p.plan("team-a", List.of(sel(0, N)));
    assertThat(team.backends()).containsExactly("teams");
    assertThat(team.routeKey()).contains("routes[0]");
    assertThat(team.selectors().get(0).pruned()).singleElement()
        .satisfies(x -> assertThat(x.reason()).isEqualTo(Pruned.Reason.TENANT));
    assertThat(p.plan("other", List.of(sel(0, N))).backends()).containsExactly("shared");
  }

  @Test
  void noRouteForTenantPrunesEverything() {
    String yaml = """
        backends:
          x: { type: prometheus, url: http://x:9090 }
        routes:
          - tenants: ["a"]
            windows: [ { backends: [x] } ]
        """;
    QueryPlan plan = planner(yaml).plan("b", List.of(sel(0, N)));
    assertThat(plan.routeKey()).isEmpty();
    assertThat(plan.backends()).isEmpty();
    assertThat(plan.selectors().get(0).pruned()).singleElement()
        .satisfies(x -> assertThat(x.detail()).contains("no route matches tenant \"b\""));
  }

  @Test
  void overlappingWindowsGiveBothBackendsTheOverlapAndJoinPiecesOfOneBackend() {
    String yaml = """
        backends:
          recent: { type: prometheus, url: http://recent:9090 }
          store:  { type: storeapi, address: store:10901 }
        routes:
          - windows:
              - { newer-than: 2h, backends: [recent] }
              - { older-than: 1h, backends: [store] }
              - { newer-than: 1h, backends: [store] }
        """;
    SelectorPlan sp = one(planner(yaml), sel(N - 3 * H, N));
    // Route order: recent is named first, so its samples win equal timestamps in the overlap.
    assertThat(sp.assignments()).containsExactly(
        new Assignment("recent", N - 2 * H, N, List.of("routes[0].windows[0]")),
        new Assignment("store", N - 3 * H, N, List.of("routes[0].windows[1]", "routes[0].windows[2]")));
  }

  @Test
  void absoluteWindowsAndTheClockMovingTheBoundary() {
    String yaml = """
        backends:
          old: { type: prometheus, url: http://old:9090 }
          new: { type: prometheus, url: http://new:9090 }
        routes:
          - windows:
              - { to: "2026-01-01T00:00:00Z", backends: [old] }
              - { from: "2026-01-01T00:00:00Z", backends: [new] }
        """;
    long cut = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    SelectorPlan sp = one(planner(yaml), sel(cut - 1, cut));
    assertThat(sp.assignments()).containsExactly(
        new Assignment("old", cut - 1, cut - 1, List.of("routes[0].windows[0]")),
        new Assignment("new", cut, cut, List.of("routes[0].windows[1]")));
    // A relative boundary moves with the injected clock.
    Clock later = Clock.offset(CLOCK, java.time.Duration.ofMinutes(30));
    TimeRangePlanner p = TimeRangePlanner.of(ConfigLoader.parse(SPLIT, CLOCK), later);
    SelectorPlan moved = one(p, sel(N - H, N - H));
    assertThat(moved.assignments()).extracting(Assignment::backend).containsExactly("older", "local");
    assertThat(p.plan("t", List.of()).nowMs()).isEqualTo(N + 30 * 60_000);
  }

  @Test
  void selectorRangeMustNotBeInverted() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> sel(2, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
