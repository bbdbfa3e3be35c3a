package io.promgate.routing.config;

import java.net.URI;
import java.util.Optional;

/**
 * {@code storage.object-store}: the S3-compatible bucket the bundled store uploads its blocks to and serves
 * old blocks from. Without {@code access-key}/{@code secret-key} the AWS SDK's default credential chain is
 * used (environment, profile, web identity, instance role).
 *
 * @param endpoint empty for AWS itself
 * @param region empty for the SDK's default (us-east-1 for most S3-compatible servers)
 * @param pathStyle {@code endpoint/bucket/key} URLs (MinIO, Ceph, s3proxy) instead of virtual-host style
 * @param prefix keys are {@code <prefix>/<ulid>/...}; empty for the bucket's root
 */
public record ObjectStoreConfig(String bucket, Optional<URI> endpoint, String region, Optional<String> accessKey,
    Optional<String> secretKey, boolean pathStyle, String prefix) {

  /** Never shows the secret key: configs end up in logs, status pages and error messages. */
  @Override
  public String toString() {
    return "ObjectStoreConfig[bucket=" + bucket + ", endpoint=" + endpoint.map(URI::toString).orElse("") + ", region="
        + region + ", accessKey=" + accessKey.orElse("") + ", secretKey=" + (secretKey.isPresent() ? "<secret>" : "")
        + ", pathStyle=" + pathStyle + ", prefix=" + prefix + "]";
  }
}
