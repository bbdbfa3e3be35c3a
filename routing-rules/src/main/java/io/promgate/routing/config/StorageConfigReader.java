package io.promgate.routing.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Reads and validates the {@code storage:} section (the bundled store). */
final class StorageConfigReader {
  static final Duration MIN_BLOCK_DURATION = Duration.ofMinutes(1);

  private StorageConfigReader() {}

  static PromgateConfig.Storage read(ConfigNode st) {
    st.onlyKeys(Set.of("path", "retention", "retention-size", "head-window", "block-duration", "object-store"));
    Duration blockDuration = st.duration("block-duration").orElse(PromgateConfig.Storage.DEFAULT_BLOCK_DURATION);
    if (blockDuration.compareTo(MIN_BLOCK_DURATION) < 0) {
      st.problem(st.key("block-duration"), "bad value \"" + st.string("block-duration").orElse("")
          + "\": must be at least 1m");
      blockDuration = PromgateConfig.Storage.DEFAULT_BLOCK_DURATION;
    }
    Duration headWindow = st.duration("head-window").orElse(Duration.ofHours(4));
    if (headWindow.isZero()) {
      st.problem(st.key("head-window"), "bad value \"0s\": must be positive");
      headWindow = Duration.ofHours(4);
    }
    return new PromgateConfig.Storage(
        st.value("path", Path::of).orElse(Path.of("data")),
        st.duration("retention").orElse(Duration.ofDays(15)),
        headWindow,
        blockDuration,
        st.value("retention-size", ByteSizes::parse).orElse(0L),
        objectStore(st.child("object-store")));
  }

  private static Optional<ObjectStoreConfig> objectStore(ConfigNode os) {
    if (!os.requireObject()) {
      return Optional.empty();
    }
    os.onlyKeys(Set.of("bucket", "endpoint", "region", "access-key", "secret-key", "path-style", "prefix"));
    String bucket = os.string("bucket").orElse("");
    if (!os.has("bucket")) {
      os.problem(os.key("bucket"), "missing (the bucket's name)");
    } else if (bucket.isEmpty() || !bucket.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      os.problem(os.key("bucket"), "bad value \"" + bucket + "\": not a bucket name (letters, digits, . _ -)");
    }
    var endpoint = os.value("endpoint", ConfigLoader::httpUrl);
    Optional<String> accessKey = os.string("access-key").filter(s -> !s.isEmpty());
    // Read as a plain string: a bad value must never be echoed into an error message.
    Optional<String> secretKey = os.string("secret-key").filter(s -> !s.isEmpty());
    if (accessKey.isPresent() != secretKey.isPresent()) {
      os.problem(os.key(accessKey.isPresent() ? "secret-key" : "access-key"),
          "missing: access-key and secret-key go together (omit both for the default AWS credential chain)");
    }
    String prefix = os.string("prefix").orElse("").replaceAll("^/+|/+$", "");
    if (prefix.contains("//")) {
      os.problem(os.key("prefix"), "bad value \"" + prefix + "\": empty path segment");
    }
    if (bucket.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ObjectStoreConfig(bucket, endpoint, os.string("region").orElse(""), accessKey, secretKey,
        os.bool("path-style").orElse(false), prefix));
  }
}
