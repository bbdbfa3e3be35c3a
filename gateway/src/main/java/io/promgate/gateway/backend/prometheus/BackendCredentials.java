package io.promgate.gateway.backend.prometheus;

import io.promgate.routing.config.BackendClient;
import io.promgate.routing.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * The {@code Authorization} header a {@code prometheus} backend's {@code basic-auth} or
 * {@code bearer-token[-file]} asks for. Files are read once, when the backend's clients are built (at
 * start, never on an event loop per request); surrounding whitespace (a trailing newline) is dropped, as
 * Prometheus does for its {@code password_file} and {@code credentials_file}.
 */
public final class BackendCredentials {
  private BackendCredentials() {}

  public static Optional<String> authorization(Optional<BackendClient.Auth> auth) {
    if (auth.isEmpty()) {
      return Optional.empty();
    }
    if (auth.get() instanceof BackendClient.Auth.Basic b) {
      String password = b.password().orElseGet(() -> read(b.passwordFile().orElseThrow()));
      String pair = b.username() + ":" + password;
      return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    BackendClient.Auth.Bearer t = (BackendClient.Auth.Bearer) auth.get();
    return Optional.of("Bearer " + t.token().orElseGet(() -> read(t.tokenFile().orElseThrow())));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
  }
}
