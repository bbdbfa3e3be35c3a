package io.promgate.tsdb.objstore;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * {@code storage.object-store}: an S3-compatible bucket for blocks.
 *
 * @param bucket {@code bucket} (required)
 * @param endpoint {@code endpoint}, e.g. {@code http://minio:9000}; empty for AWS itself
 * @param region {@code region}; empty means us-east-1 (what most S3-compatible servers expect)
 * @param accessKey {@code access-key}; empty to use the SDK's default credentials chain
 * @param secretKey {@code secret-key}
 * @param pathStyle {@code path-style}: {@code endpoint/bucket/key} URLs instead of virtual-host style
 *     (needed by MinIO, Ceph and s3proxy without wildcard DNS)
 * @param prefix {@code prefix}: keys are {@code <prefix>/<ulid>/...}; empty for the bucket's root
 */
public record ObjectStoreOptions(String bucket, String endpoint, String region, String accessKey, String secretKey,
    boolean pathStyle, String prefix) {
  public ObjectStoreOptions(String bucket, String endpoint, String region, String accessKey, String secretKey,
      boolean pathStyle) {
    this(bucket, endpoint, region, accessKey, secretKey, pathStyle, "");
  }

  public ObjectStoreOptions {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("storage.object-store.bucket is required");
    }
    endpoint = endpoint == null ? "" : endpoint;
    region = region == null || region.isBlank() ? "us-east-1" : region;
    accessKey = accessKey == null ? "" : accessKey;
    secretKey = secretKey == null ? "" : secretKey;
    prefix = prefix == null ? "" : prefix;
    if (!endpoint.isEmpty()) {
      URI u = URI.create(endpoint);
      if (u.getScheme() == null || u.getHost() == null) {
        throw new IllegalArgumentException("storage.object-store.endpoint must be an http(s) URL, got " + endpoint);
      }
    }
    if (accessKey.isEmpty() != secretKey.isEmpty()) {
      throw new IllegalArgumentException("storage.object-store.access-key and secret-key go together");
    }
  }

  /**
   * A client for this bucket. Checksums are only computed when an operation requires them: newer SDKs
   * otherwise add flexible checksums that several S3-compatible servers reject.
   */
  public S3Client newClient() {
    S3ClientBuilder b = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .region(Region.of(region))
        .forcePathStyle(pathStyle)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (!endpoint.isEmpty()) {
      b.endpointOverride(URI.create(endpoint));
    }
    b.credentialsProvider(accessKey.isEmpty() ? DefaultCredentialsProvider.builder().build()
        : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
    return b.build();
  }

  /** Never shows the secret key: options end up in logs and error messages. */
  @Override
  public String toString() {
    return "ObjectStoreOptions[bucket=" + bucket + ", endpoint=" + endpoint + ", region=" + region + ", accessKey="
        + accessKey + ", secretKey=" + (secretKey.isEmpty() ? "" : "<secret>") + ", pathStyle=" + pathStyle
        + ", prefix=" + prefix + "]";
  }

  public Optional<URI> endpointUri() {
    return endpoint.isEmpty() ? Optional.empty() : Optional.of(URI.create(endpoint));
  }
}
