package io.promgate.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** promgate's own version, filtered into {@code version.properties} by the Maven build. */
public final class Version {
  private static final String VERSION = load();

  private Version() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "0.0.0-dev";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "0.0.0-dev");
      return v.startsWith("${") ? "0.0.0-dev" : v;
    } catch (IOException e) {
      return "0.0.0-dev";
    }
  }
}
