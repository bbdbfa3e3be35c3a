package io.promgate.tenant;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The stored hash of a password or token: bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}; verified with
 * at.favre.lib's bcrypt, never a home-made one) or {@code sha256:<hex>}. Bcrypt is slow on purpose (about
 * 50–100 ms at cost 10), so {@link #slow()} tells callers to verify it off the event loop.
 */
public sealed interface SecretHash {
  /** True when {@code secret} hashes to this value. Compares in constant time. */
  boolean matches(byte[] secret);

  /** True for bcrypt: verification takes milliseconds and must not run on an event loop. */
  boolean slow();

  /** Parses a configured hash; the message never contains the value (it may be a pasted secret). */
  static SecretHash parse(String text) {
    if (text.startsWith("sha256:") && text.length() == 7 + 64) {
      try {
        return new Sha256(HexFormat.of().parseHex(text.substring(7).toLowerCase(java.util.Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("sha256 hash is not 64 hex digits");
      }
    }
    if (text.matches("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}")) {
      return new Bcrypt(text);
    }
    throw new IllegalArgumentException("not a bcrypt ($2a$/$2b$/$2y$) or sha256:<hex> hash");
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  record Sha256(byte[] digest) implements SecretHash {
    @Override
    public boolean matches(byte[] secret) {
      return MessageDigest.isEqual(digest, sha256(secret));
    }

    @Override
    public boolean slow() {
      return false;
    }

    @Override
    public String toString() {
      return "Sha256[hidden]";
    }
  }

  record Bcrypt(String hash) implements SecretHash {
    @Override
    public boolean matches(byte[] secret) {
      // bcrypt reads at most 72 bytes; longer passwords are refused rather than silently truncated.
      if (secret.length > 72) {
        return false;
      }
      try {
        return BCrypt.verifyer().verify(secret, hash.getBytes(StandardCharsets.UTF_8)).verified;
      } catch (RuntimeException e) {
        return false;
      }
    }

    @Override
    public boolean slow() {
      return true;
    }

    @Override
    public String toString() {
      return "Bcrypt[hidden]";
    }
  }
}
