package io.promgate.tsdb.block;

import java.security.SecureRandom;

/**
 * ULIDs as block names (Prometheus and Thanos name blocks so): 48 bits of milliseconds and 80 random bits,
 * 26 characters of Crockford base32, so that names sort by creation time. Within one millisecond the random
 * part is incremented (the "monotonic" variant of the spec), so ids made by one process also sort in the
 * order they were made.
 */
public final class Ulid {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static long lastMs = -1;
  private static long randHi; // 16 bits
  private static long randLo; // 64 bits

  private Ulid() {
  }

  /** A new ULID for the given time in milliseconds. */
  public static synchronized String next(long millis) {
    if (millis == lastMs) {
      randLo++;
      if (randLo == 0) {
        randHi = (randHi + 1) & 0xffff;
      }
    } else {
      lastMs = millis;
      randHi = RANDOM.nextInt(1 << 16);
      randLo = RANDOM.nextLong() & ~(1L << 63); // leave room for increments within the millisecond
    }
    return encode(millis, randHi, randLo);
  }

  static String encode(long millis, long hi16, long lo64) {
    // 128 bits = 48 time + 16 + 64; base32 needs 130 bits: two zero bits on top.
    char[] out = new char[26];
    long tHi = millis;
    // time: first 10 chars cover 50 bits (the top 2 are zero)
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (tHi & 31)];
      tHi >>>= 5;
    }
    // randomness: 80 bits = 16 chars; build from hi16 (bits 79..64) and lo64
    for (int i = 25; i >= 10; i--) {
      out[i] = ALPHABET[(int) (lo64 & 31)];
      lo64 = (lo64 >>> 5) | ((hi16 & 31) << 59);
      hi16 >>>= 5;
    }
    return new String(out);
  }

  /** Milliseconds encoded in a ULID. */
  public static long timestamp(String ulid) {
    long t = 0;
    for (int i = 0; i < 10; i++) {
      t = (t << 5) | indexOf(ulid.charAt(i));
    }
    return t;
  }

  public static boolean isValid(String s) {
    if (s.length() != 26 || indexOf(s.charAt(0)) > 7) {
      return false;
    }
    for (int i = 0; i < 26; i++) {
      if (indexOf(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(char c) {
    for (int i = 0; i < 32; i++) {
      if (ALPHABET[i] == c) {
        return i;
      }
    }
    return -1;
  }
}
