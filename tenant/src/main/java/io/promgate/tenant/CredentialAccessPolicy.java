package io.promgate.tenant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code tenancy.require-auth: true}: every request must carry an {@code Authorization} header (HTTP basic
 * or bearer) naming a configured {@link Credential} that grants the resolved tenants, all of them for
 * {@code a|b}. 401 {@code unauthorized} when credentials are missing or wrong, 403 {@code forbidden} when
 * they are right but do not grant the tenant.
 *
 * <p>Why a cache: bcrypt costs tens of milliseconds by design, and Grafana sends the same basic-auth header
 * with every panel query. A successful verification is remembered for {@link #CACHE_TTL}, keyed by the
 * SHA-256 of the whole header value (so the cache never holds a secret), bounded in size. Failures are not
 * cached: a wrong password is rare for real clients, and a guesser pays bcrypt on a worker each time.
 * Callers ask {@link #mayBlock} first and run {@link #check} on a worker when it says yes, so the event
 * loop never computes bcrypt.
 *
 * <p>Secrets never leave this class: messages name the credential ({@code name}) or nothing, never the
 * header.
 */
public final class CredentialAccessPolicy implements AccessPolicy {
  public static final String AUTHORIZATION = "Authorization";
  static final Duration CACHE_TTL = Duration.ofMinutes(10);

  private final Map<String, Credential> byUser = new HashMap<>();
  /** Bearer tokens by the hex SHA-256 of the token. */
  private final Map<String, Credential> byTokenHash = new HashMap<>();
  private final Cache<String, Credential> verified;

  public CredentialAccessPolicy(List<Credential> credentials) {
    for (Credential c : credentials) {
      if (c.user().isPresent()) {
        byUser.put(c.user().get(), c);
      } else if (c.secret() instanceof SecretHash.Sha256 s) {
        byTokenHash.put(HexFormat.of().formatHex(s.digest()), c);
      } else {
        throw new IllegalArgumentException("credential " + c.name() + ": a bearer token needs a sha256 hash");
      }
    }
    this.verified = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(CACHE_TTL).build();
  }

  @Override
  public TenantResolution.Rejected check(TenantSet tenants, Function<String, String> headers, boolean write) {
    Authenticated a = authenticate(headers.apply(AUTHORIZATION));
    if (a.rejection() != null) {
      return a.rejection();
    }
    Credential c = a.credential();
    if (!c.grants(tenants, write)) {
      return new TenantResolution.Rejected(403, "forbidden", "credential \"" + c.name() + "\" may not "
          + (write ? "write" : "read") + " tenant \"" + tenants.headerValue() + "\"");
    }
    return null;
  }

  @Override
  public boolean mayBlock(Function<String, String> headers) {
    String h = headers.apply(AUTHORIZATION);
    if (h == null || !startsWithIgnoreCase(h, "basic ")) {
      return false;
    }
    if (verified.getIfPresent(cacheKey(h)) != null) {
      return false;
    }
    BasicAuth basic = BasicAuth.decode(h.substring(6).trim());
    Credential c = basic == null ? null : byUser.get(basic.user());
    return c != null && c.secret().slow();
  }

  /** The outcome of reading an Authorization header: a credential, or why there is none. */
  public record Authenticated(Credential credential, TenantResolution.Rejected rejection) {}

  /**
   * Who the {@code Authorization} header value says the caller is; may run bcrypt (see {@link #mayBlock}).
   * Also used for the gRPC StoreAPI's {@code authorization} metadata.
   */
  public Authenticated authenticate(String header) {
    if (header == null || header.isBlank()) {
      return denied("missing credentials: send HTTP basic auth or a bearer token (Authorization header)");
    }
    String key = cacheKey(header);
    Credential cached = verified.getIfPresent(key);
    if (cached != null) {
      return new Authenticated(cached, null);
    }
    Credential c;
    if (startsWithIgnoreCase(header, "basic ")) {
      BasicAuth basic = BasicAuth.decode(header.substring(6).trim());
      if (basic == null) {
        return denied("malformed basic credentials");
      }
      c = byUser.get(basic.user());
      if (c == null || !c.secret().matches(basic.password())) {
        return denied("invalid credentials");
      }
    } else if (startsWithIgnoreCase(header, "bearer ")) {
      byte[] token = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
      c = byTokenHash.get(HexFormat.of().formatHex(SecretHash.sha256(token)));
      if (c == null) {
        return denied("invalid credentials");
      }
    } else {
      return denied("unsupported authorization scheme: use Basic or Bearer");
    }
    verified.put(key, c);
    return new Authenticated(c, null);
  }

  private static Authenticated denied(String message) {
    return new Authenticated(null, new TenantResolution.Rejected(401, "unauthorized", message));
  }

  private static String cacheKey(String header) {
    return HexFormat.of().formatHex(SecretHash.sha256(header.getBytes(StandardCharsets.UTF_8)));
  }

  private static boolean startsWithIgnoreCase(String s, String prefix) {
    return s.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  /** RFC 7617: base64 of {@code user:password}, the user without ':'. */
  private record BasicAuth(String user, byte[] password) {
    static BasicAuth decode(String b64) {
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(b64);
      } catch (IllegalArgumentException e) {
        return null;
      }
      for (int i = 0; i < raw.length; i++) {
        if (raw[i] == ':') {
          return new BasicAuth(new String(raw, 0, i, StandardCharsets.UTF_8), java.util.Arrays.copyOfRange(raw, i + 1, raw.length));
        }
      }
      return null;
    }
  }
}
