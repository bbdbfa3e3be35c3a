package io.promgate.routing.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Per-backend client settings beyond address and timeout (issue 8): how raw data is read, the circuit
 * breaker and bulkhead, and the credentials promgate presents to a {@code prometheus} backend. Kept apart
 * from {@link BackendConfig} so that backend kinds share one reader and one set of defaults.
 */
public final class BackendClient {
  private BackendClient() {}

  /**
   * {@code backends.<n>.read} of a {@code prometheus} backend: {@code remote-read} ({@code /api/v1/read},
   * exact), {@code query} (instant query of {@code x[range]}, for servers without remote read; loses stale
   * markers) or {@code auto} (remote read until the server refuses it with 404/405).
   */
  public enum ReadMethod {
    AUTO("auto"), REMOTE_READ("remote-read"), QUERY("query");

    private final String yaml;

    ReadMethod(String yaml) {
      this.yaml = yaml;
    }

    public String yaml() {
      return yaml;
    }

    static ReadMethod parse(String text) {
      for (ReadMethod m : values()) {
        if (m.yaml.equals(text)) {
          return m;
        }
      }
      throw new IllegalArgumentException("one of auto, remote-read, query");
    }
  }

  /**
   * {@code backends.<n>.breaker}: the Resilience4j circuit breaker of the backend (count-based window).
   *
   * @param failureRatePercent the breaker opens when this share (1-100) of the recent calls failed
   * @param minimumCalls calls in the window before the rate counts
   * @param window calls remembered
   * @param openWait how long an open breaker refuses calls before letting one probe through
   */
  public record Breaker(int failureRatePercent, int minimumCalls, int window, Duration openWait) {
    public static final Breaker DEFAULT = new Breaker(50, 5, 20, Duration.ofSeconds(30));
  }

  /**
   * Resilience settings of one backend.
   *
   * @param bulkhead calls to the backend in flight at once ({@code backends.<n>.bulkhead}); 0 for no limit
   */
  public record Guard(Breaker breaker, int bulkhead) {
    public static final Guard DEFAULT = new Guard(Breaker.DEFAULT, 0);
  }

  /**
   * Credentials sent to a {@code prometheus} backend, as in Prometheus' own {@code basic_auth} and
   * {@code authorization} client settings. Secrets in files are read when promgate starts.
   */
  public sealed interface Auth {
    /** {@code basic-auth: {username, password | password-file}}. */
    record Basic(String username, Optional<String> password, Optional<Path> passwordFile) implements Auth {
      @Override
      public String toString() {
        return "Basic[" + username + "]";
      }
    }

    /** {@code bearer-token} or {@code bearer-token-file}. */
    record Bearer(Optional<String> token, Optional<Path> tokenFile) implements Auth {
      @Override
      public String toString() {
        return "Bearer[" + tokenFile.map(Path::toString).orElse("inline") + "]";
      }
    }
  }
}
