package io.promgate.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Each test gets a fresh policy (JUnit's per-method instance), so the verification cache starts empty. */
class CredentialAccessPolicyTest {
  static String bcrypt(BCrypt.Version v, String password) {
    return new String(BCrypt.with(v).hash(4, password.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  static String sha(String secret) {
    return "sha256:" + HexFormat.of().formatHex(SecretHash.sha256(secret.getBytes(StandardCharsets.UTF_8)));
  }

  static Function<String, String> basic(String user, String password) {
    String v = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return Map.of("Authorization", v)::get;
  }

  static Function<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token)::get;
  }

  final CredentialAccessPolicy POLICY = new CredentialAccessPolicy(List.of(
      new Credential("grafana", Optional.of("grafana"), SecretHash.parse(bcrypt(BCrypt.Version.VERSION_2Y, "s3cret")),
          Set.of("a", "b"), Set.of()),
      new Credential("old", Optional.of("old"), SecretHash.parse(bcrypt(BCrypt.Version.VERSION_2A, "pw")),
          Set.of("a"), Set.of()),
      new Credential("b-style", Optional.of("bb"), SecretHash.parse(bcrypt(BCrypt.Version.VERSION_2B, "pw")),
          Set.of("a"), Set.of()),
      new Credential("shauser", Optional.of("ops"), SecretHash.parse(sha("opspw")), Set.of("*"), Set.of("*")),
      new Credential("agent", Optional.empty(), SecretHash.parse(sha("tok-123")), Set.of(), Set.of("a"))));

  @Test
  void bcryptUserReadsGrantedTenantsAndTheVerificationIsCached() {
    var h = basic("grafana", "s3cret");
    assertThat(POLICY.mayBlock(h)).isTrue();
    assertThat(POLICY.check(TenantSet.of("a"), h, false)).isNull();
    assertThat(POLICY.mayBlock(h)).as("cached after success").isFalse();
    assertThat(POLICY.check(TenantIds.parse("a|b"), h, false)).isNull();
  }

  @Test
  void everyBcryptVersionVerifies() {
    assertThat(POLICY.check(TenantSet.of("a"), basic("old", "pw"), false)).isNull();
    assertThat(POLICY.check(TenantSet.of("a"), basic("bb", "pw"), false)).isNull();
    assertThat(POLICY.check(TenantSet.of("a"), basic("bb", "pw2"), false)).isNotNull();
  }

  @Test
  void wrongPasswordIs401AndNotCached() {
    var h = basic("grafana", "guess");
    assertThat(POLICY.check(TenantSet.of("a"), h, false))
        .isEqualTo(new TenantResolution.Rejected(401, "unauthorized", "invalid credentials"));
    assertThat(POLICY.mayBlock(h)).isTrue();
    assertThat(POLICY.check(TenantSet.of("a"), basic("nobody", "s3cret"), false).status()).isEqualTo(401);
  }

  @Test
  void grantsAreCheckedPerTenantAndPerDirection() {
    var grafana = basic("grafana", "s3cret");
    TenantResolution.Rejected r = POLICY.check(TenantIds.parse("a|c"), grafana, false);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.errorType()).isEqualTo("forbidden");
    assertThat(r.message()).contains("grafana").contains("read").doesNotContain("s3cret");
    assertThat(POLICY.check(TenantSet.of("a"), grafana, true).status()).as("no write grant").isEqualTo(403);
    assertThat(POLICY.check(TenantSet.of("a"), bearer("tok-123"), true)).isNull();
    assertThat(POLICY.check(TenantSet.of("a"), bearer("tok-123"), false).status()).isEqualTo(403);
    assertThat(POLICY.check(TenantSet.of("b"), bearer("tok-123"), true).status()).isEqualTo(403);
    assertThat(POLICY.check(TenantIds.parse("x|y|z"), basic("ops", "opspw"), true)).as("* grants all").isNull();
    assertThat(POLICY.mayBlock(basic("ops", "opspw"))).as("sha256 is fast").isFalse();
  }

  @Test
  void missingMalformedOrUnknownCredentialsAre401() {
    Function<String, String> none = k -> null;
    assertThat(POLICY.check(TenantSet.of("a"), none, false).message()).startsWith("missing credentials");
    assertThat(POLICY.check(TenantSet.of("a"), Map.of("Authorization", "Basic !!!")::get, false).message())
        .isEqualTo("malformed basic credentials");
    assertThat(POLICY.check(TenantSet.of("a"), Map.of("Authorization", "Basic "
        + Base64.getEncoder().encodeToString("nocolon".getBytes()))::get, false).status()).isEqualTo(401);
    assertThat(POLICY.check(TenantSet.of("a"), Map.of("Authorization", "Digest x")::get, false).message())
        .startsWith("unsupported authorization scheme");
    assertThat(POLICY.check(TenantSet.of("a"), bearer("tok-1234"), true).status()).isEqualTo(401);
    assertThat(POLICY.check(TenantSet.of("a"), Map.of("Authorization", "bearer tok-123")::get, true))
        .as("scheme is case-insensitive").isNull();
  }

  @Test
  void hashesParseStrictlyAndLongPasswordsNeverMatch() {
    assertThatThrownBy(() -> SecretHash.parse("hunter2")).hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> SecretHash.parse("sha256:" + "zz".repeat(32))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SecretHash.parse("SHA256:" + "ab".repeat(32))).isInstanceOf(IllegalArgumentException.class);
    String longPw = "x".repeat(80);
    SecretHash h = SecretHash.parse(bcrypt(BCrypt.Version.VERSION_2Y, "x".repeat(72)));
    assertThat(h.matches(longPw.getBytes())).isFalse();
    assertThat(h.matches("x".repeat(72).getBytes())).isTrue();
    assertThat(h.toString()).doesNotContain("$2y$");
  }
}
