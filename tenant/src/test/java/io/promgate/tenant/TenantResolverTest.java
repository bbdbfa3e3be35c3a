package io.promgate.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantResolverTest {
  private final TenantResolver withDefault = new TenantResolver(Optional.of("anonymous"), AccessPolicy.ALLOW_ALL);
  private final TenantResolver noDefault = new TenantResolver(Optional.empty(), AccessPolicy.ALLOW_ALL);

  private static TenantResolution resolve(TenantResolver r, String path, Map<String, String> headers) {
    Map<String, String> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    ci.putAll(headers);
    return r.resolve(path, ci::get, false);
  }

  private static TenantResolution.Resolved ok(TenantResolution r) {
    assertThat(r).isInstanceOf(TenantResolution.Resolved.class);
    return (TenantResolution.Resolved) r;
  }

  @Test
  void pathPrefixWinsOverHeadersAndIsStripped() {
    var r = ok(resolve(withDefault, "/tenant/prod/api/v1/query",
        Map.of("X-Scope-OrgID", "other", "THANOS-TENANT", "third")));
    assertThat(r.tenants().headerValue()).isEqualTo("prod");
    assertThat(r.apiPath()).isEqualTo("/api/v1/query");
    assertThat(r.source()).isEqualTo(TenantSource.PATH);
  }

  @Test
  void headersInOrderThenDefault() {
    assertThat(ok(resolve(withDefault, "/api/v1/labels", Map.of("x-scope-orgid", "a", "THANOS-TENANT", "b")))
        .tenants().headerValue()).isEqualTo("a");
    assertThat(ok(resolve(withDefault, "/api/v1/labels", Map.of("thanos-tenant", "b"))).tenants().headerValue())
        .isEqualTo("b");
    var d = ok(resolve(withDefault, "/api/v1/labels", Map.of()));
    assertThat(d.tenants().headerValue()).isEqualTo("anonymous");
    assertThat(d.source()).isEqualTo(TenantSource.DEFAULT);
  }

  @Test
  void noTenantAndNoDefaultIsUnauthorized() {
    assertThat(resolve(noDefault, "/api/v1/query", Map.of()))
        .isEqualTo(new TenantResolution.Rejected(401, "unauthorized",
            "no tenant: use a /tenant/<id>/ URL or an X-Scope-OrgID header"));
  }

  @Test
  void prometheusPrefixAloneAndAfterTenant() {
    assertThat(ok(resolve(withDefault, "/prometheus/api/v1/query", Map.of())).apiPath()).isEqualTo("/api/v1/query");
    var r = ok(resolve(withDefault, "/tenant/t1/prometheus/api/v1/series", Map.of()));
    assertThat(r.apiPath()).isEqualTo("/api/v1/series");
    assertThat(r.tenants().ids()).containsExactly("t1");
    assertThat(ok(resolve(withDefault, "/prometheusx/api", Map.of())).apiPath()).isEqualTo("/prometheusx/api");
    assertThat(ok(resolve(withDefault, "/tenant/t1", Map.of())).apiPath()).isEqualTo("/");
  }

  @Test
  void multiTenantSyntax() {
    var r = ok(resolve(withDefault, "/tenant/a%7Cb%7Ca/api/v1/query", Map.of()));
    assertThat(r.tenants().ids()).containsExactly("a", "b");
    assertThat(r.tenants().isMulti()).isTrue();
    assertThat(ok(resolve(withDefault, "/api/v1/query", Map.of("X-Scope-OrgID", "x|y"))).tenants().headerValue())
        .isEqualTo("x|y");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/tenant//api/v1/query", "/tenant/a%2Fb/api/v1/query", "/tenant/./api/v1/query",
      "/tenant/../api/v1/query", "/tenant/a%7C/api/v1/query", "/tenant/%zz/api/v1/query", "/tenant/a%20b/x"})
  void invalidPathTenantsAreBadData(String path) {
    var r = resolve(withDefault, path, Map.of());
    assertThat(r).isInstanceOf(TenantResolution.Rejected.class);
    assertThat(((TenantResolution.Rejected) r).status()).isEqualTo(400);
    assertThat(((TenantResolution.Rejected) r).errorType()).isEqualTo("bad_data");
  }

  @Test
  void invalidHeaderTenantIsBadData() {
    var r = (TenantResolution.Rejected) resolve(withDefault, "/api/v1/query", Map.of("X-Scope-OrgID", "a/b"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).contains("a/b").contains("'/'");
  }

  @Test
  void accessPolicyHookCanRefuse() {
    var policy = (AccessPolicy) (t, h, w) -> t.ids().contains("secret")
        ? new TenantResolution.Rejected(403, "forbidden", "no") : null;
    var r = new TenantResolver(Optional.of("anonymous"), policy);
    assertThat(resolve(r, "/tenant/secret/api/v1/query", Map.of())).isInstanceOf(TenantResolution.Rejected.class);
    assertThat(resolve(r, "/tenant/open/api/v1/query", Map.of())).isInstanceOf(TenantResolution.Resolved.class);
  }

  @Test
  void lengthLimit() {
    assertThat(TenantIds.isValid("a".repeat(150))).isTrue();
    assertThat(TenantIds.isValid("a".repeat(151))).isFalse();
    assertThat(TenantIds.isValid("Az09!_.*'()-")).isTrue();
  }

  /** Validity is exactly the documented character set and length rule. */
  @Property(tries = 300)
  void validityMatchesTheRule(@ForAll @StringLength(min = 0, max = 160) String id) {
    boolean expected = id.matches("[A-Za-z0-9!_.*'()\\-]{1,150}") && !id.equals(".") && !id.equals("..");
    assertThat(TenantIds.isValid(id)).isEqualTo(expected);
  }
}
