package io.promgate.routing.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code storage:} keys of the bundled store's blocks: block duration, retention, object store. */
class StorageConfigTest {
  private static String problemsOf(String yaml) {
    try {
      ConfigLoader.parse(yaml);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("config was accepted:\n" + yaml);
  }

  @Test
  void defaults() {
    var st = ConfigLoader.parse("storage: { path: d }\n").storage().orElseThrow();
    assertThat(st.blockDuration()).isEqualTo(Duration.ofHours(2));
    assertThat(st.retention()).isEqualTo(Duration.ofDays(15));
    assertThat(st.retentionSize()).isZero();
    assertThat(st.objectStore()).isEmpty();
  }

  @Test
  void everyKeyIsRead() {
    var st = ConfigLoader.parse("""
        storage:
          path: d
          block-duration: 30m
          retention: 7d
          retention-size: 10GiB
          object-store:
            bucket: promgate-blocks
            endpoint: http://minio:9000
            region: eu-west-1
            access-key: AKID
            secret-key: s3cr3t-value
            path-style: true
            prefix: /cluster-a/
        """).storage().orElseThrow();
    assertThat(st.blockDuration()).isEqualTo(Duration.ofMinutes(30));
    assertThat(st.retention()).isEqualTo(Duration.ofDays(7));
    assertThat(st.retentionSize()).isEqualTo(10L << 30);
    ObjectStoreConfig os = st.objectStore().orElseThrow();
    assertThat(os.bucket()).isEqualTo("promgate-blocks");
    assertThat(os.endpoint().orElseThrow()).hasToString("http://minio:9000");
    assertThat(os.region()).isEqualTo("eu-west-1");
    assertThat(os.accessKey()).contains("AKID");
    assertThat(os.secretKey()).contains("s3cr3t-value");
    assertThat(os.pathStyle()).isTrue();
    assertThat(os.prefix()).isEqualTo("cluster-a");
    assertThat(os.toString()).doesNotContain("s3cr3t-value");
    assertThat(st.toString()).doesNotContain("s3cr3t-value");
  }

  @Test
  void withoutKeysTheDefaultCredentialChainIsUsed() {
    ObjectStoreConfig os = ConfigLoader.parse("storage: { object-store: { bucket: b } }\n").storage().orElseThrow()
        .objectStore().orElseThrow();
    assertThat(os.accessKey()).isEmpty();
    assertThat(os.secretKey()).isEmpty();
    assertThat(os.endpoint()).isEmpty();
    assertThat(os.pathStyle()).isFalse();
  }

  @Test
  void storagePathFlagKeepsTheOtherKeys() {
    PromgateConfig c = ConfigLoader.parse("storage: { block-duration: 1h, object-store: { bucket: b } }\n");
    var st = new ConfigOverrides(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("/x"))
        .apply(Optional.of(c)).storage().orElseThrow();
    assertThat(st.path()).hasToString("/x");
    assertThat(st.blockDuration()).isEqualTo(Duration.ofHours(1));
    assertThat(st.objectStore()).isPresent();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      short block              | storage: { block-duration: 10s }                                       | storage.block-duration: bad value "10s": must be at least 1m
      bad block                | storage: { block-duration: 2hours }                                    | storage.block-duration: bad value "2hours"
      bad size                 | storage: { retention-size: 10 gigs }                                   | storage.retention-size: bad value "10 gigs"
      zero head window         | storage: { head-window: 0s }                                           | storage.head-window: bad value "0s"
      unknown storage key      | storage: { retention-bytes: 1GB }                                      | storage.retention-bytes: unknown key
      object store not a map   | storage: { object-store: s3://b }                                      | storage.object-store: expected a mapping
      no bucket                | storage: { object-store: { endpoint: 'http://m:9000' } }               | storage.object-store.bucket: missing
      bad bucket               | storage: { object-store: { bucket: 'a/b' } }                           | storage.object-store.bucket: bad value "a/b"
      bad endpoint             | storage: { object-store: { bucket: b, endpoint: 'minio:9000' } }       | storage.object-store.endpoint: bad value "minio:9000"
      unknown object-store key | storage: { object-store: { bucket: b, insecure: true } }               | storage.object-store.insecure: unknown key
      bad path-style           | storage: { object-store: { bucket: b, path-style: yes please } }       | storage.object-store.path-style: bad value "yes please"
      access key alone         | storage: { object-store: { bucket: b, access-key: AK } }               | storage.object-store.secret-key: missing
      """)
  void badValuesAreReportedWithTheirKey(String name, String yaml, String expected) {
    assertThat(problemsOf(yaml + "\n")).contains(expected);
  }

  @Test
  void theSecretKeyIsNeverEchoed() {
    String problems = problemsOf("storage: { object-store: { secret-key: do-not-print-me, bogus: 1 } }\n");
    assertThat(problems).contains("storage.object-store.access-key: missing").doesNotContain("do-not-print-me");
    problems = problemsOf("storage: { object-store: { bucket: b, access-key: AK, secret-key: [do-not-print-me] } }\n");
    assertThat(problems).contains("storage.object-store.secret-key").doesNotContain("do-not-print-me");
  }
}
