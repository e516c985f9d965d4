package dev.chargebackcdc.flink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The job's one typed configuration, read once at start. On Managed Flink it comes from the application's
 * property group {@value #PROPERTY_GROUP} (KinesisAnalyticsRuntime.getApplicationProperties()); locally from
 * the same property-group JSON file ({@code --config <file>}) and/or {@code --<key> <value>} arguments, which
 * win over the file. Local and cloud differ only here (endpoints, auth), never in the pipeline's code path.
 *
 * @param s3PathStyle path-style S3 addressing (defaults to true when an endpoint is set, as moto needs)
 * @param localStateDir local runs only: where checkpoints are retained, and restored from on the next start
 * @param parallelism local runs only: MiniCluster parallelism (0 = Flink's default, the number of cores)
 * @param dedupeTtlMs how long a landed event_id, and a chargeback's highest landed sequence number, are
 *     remembered to drop upstream duplicates (default 24 h, the DynamoDB stream's retention)
 */
public record JobConfig(
    String bootstrapServers,
    String topic,
    String dlqTopic,
    String groupId,
    String bucket,
    String prefix,
    long checkpointIntervalMs,
    Auth auth,
    String s3Endpoint,
    boolean s3PathStyle,
    String s3AccessKey,
    String s3SecretKey,
    String localStateDir,
    int parallelism,
    long dedupeTtlMs) {

  public static final String PROPERTY_GROUP = "ChargebackCdc";

  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String TOPIC = "topic";
  public static final String DLQ_TOPIC = "dlq.topic";
  public static final String GROUP_ID = "group.id";
  public static final String BUCKET = "bucket";
  public static final String PREFIX = "prefix";
  public static final String CHECKPOINT_INTERVAL_MS = "checkpoint.interval.ms";
  public static final String AUTH = "auth";
  public static final String S3_ENDPOINT = "s3.endpoint";
  public static final String S3_PATH_STYLE = "s3.path.style";
  public static final String S3_ACCESS_KEY = "s3.access-key";
  public static final String S3_SECRET_KEY = "s3.secret-key";
  public static final String LOCAL_STATE_DIR = "local.state.dir";
  public static final String PARALLELISM = "parallelism";
  public static final String DEDUPE_TTL_MS = "dedupe.ttl.ms";

  public static final Set<String> KEYS = Set.of(BOOTSTRAP_SERVERS, TOPIC, DLQ_TOPIC, GROUP_ID, BUCKET, PREFIX,
      CHECKPOINT_INTERVAL_MS, AUTH, S3_ENDPOINT, S3_PATH_STYLE, S3_ACCESS_KEY, S3_SECRET_KEY, LOCAL_STATE_DIR, PARALLELISM, DEDUPE_TTL_MS);

  /** Seed defaults (DESIGN §3): topic, DLQ, consumer group, landing prefix, 60 s rollover. */
  public static final String DEFAULT_TOPIC = "chargebacks";
  public static final String DEFAULT_DLQ_TOPIC = "chargebacks-dlq";
  public static final String DEFAULT_GROUP_ID = "flink-parquet-writer";
  public static final String DEFAULT_PREFIX = "landing/chargebacks";
  public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000;
  public static final long DEFAULT_DEDUPE_TTL_MS = 24 * 60 * 60 * 1000L;

  /** How the job authenticates to Kafka. */
  public enum Auth {
    /** Local broker: PLAINTEXT on 9092. */
    PLAINTEXT("plaintext"),
    /** MSK Serverless: SASL_SSL with AWS_MSK_IAM on 9098. */
    MSK_IAM("msk-iam");

    public final String value;

    Auth(String value) {
      this.value = value;
    }

    static Auth parse(String s) {
      for (Auth a : values()) if (a.value.equals(s)) return a;
      return null;
    }
  }

  /**
   * Builds the config from property groups (only {@value #PROPERTY_GROUP} is read) with overrides on top.
   *
   * @throws InvalidConfigException naming every missing, unknown or malformed property
   */
  public static JobConfig from(Map<String, Properties> groups, Map<String, String> overrides) {
    Map<String, String> p = new LinkedHashMap<>();
    Properties group = groups.get(PROPERTY_GROUP);
    if (group != null) group.stringPropertyNames().forEach(k -> p.put(k, group.getProperty(k)));
    p.putAll(overrides);

    List<String> problems = new ArrayList<>();
    for (String key : p.keySet()) {
      if (!KEYS.contains(key)) problems.add(key + ": unknown property (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
    }
    String bootstrap = required(p, BOOTSTRAP_SERVERS, problems);
    String bucket = required(p, BUCKET, problems);
    if (bucket != null && !bucket.matches("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")) {
      problems.add(BUCKET + ": \"" + bucket + "\" is not an S3 bucket name");
    }
    long interval = positiveLong(p, CHECKPOINT_INTERVAL_MS, DEFAULT_CHECKPOINT_INTERVAL_MS, problems);
    long dedupeTtl = positiveLong(p, DEDUPE_TTL_MS, DEFAULT_DEDUPE_TTL_MS, problems);
    int parallelism = (int) Math.min(Integer.MAX_VALUE, nonNegativeLong(p, PARALLELISM, 0, problems));
    String authText = p.getOrDefault(AUTH, Auth.PLAINTEXT.value).trim();
    Auth auth = Auth.parse(authText);
    if (auth == null) problems.add(AUTH + ": must be plaintext or msk-iam, got \"" + authText + "\"");
    String endpoint = optional(p, S3_ENDPOINT);
    Boolean pathStyle = bool(p, S3_PATH_STYLE, endpoint != null, problems);
    if (!problems.isEmpty()) throw new InvalidConfigException(problems);
    return new JobConfig(bootstrap, text(p, TOPIC, DEFAULT_TOPIC), text(p, DLQ_TOPIC, DEFAULT_DLQ_TOPIC),
        text(p, GROUP_ID, DEFAULT_GROUP_ID), bucket, text(p, PREFIX, DEFAULT_PREFIX), interval, auth, endpoint,
        pathStyle, optional(p, S3_ACCESS_KEY), optional(p, S3_SECRET_KEY), optional(p, LOCAL_STATE_DIR), parallelism, dedupeTtl);
  }

  /** Where part files land: {@code s3://<bucket>/<prefix>}. */
  public String landingPath() {
    return LandingSink.basePath(bucket, prefix);
  }

  /** The config as printed at start, secrets masked. */
  @Override
  public String toString() {
    return "JobConfig{bootstrap.servers=" + bootstrapServers + ", topic=" + topic + ", dlq.topic=" + dlqTopic
        + ", group.id=" + groupId + ", landing=" + landingPath() + ", checkpoint.interval.ms=" + checkpointIntervalMs
        + ", auth=" + auth.value + ", s3.endpoint=" + s3Endpoint + ", s3.path.style=" + s3PathStyle
        + ", s3.access-key=" + (s3AccessKey == null ? null : "****") + ", s3.secret-key=" + (s3SecretKey == null ? null : "****")
        + ", local.state.dir=" + localStateDir + ", parallelism=" + parallelism + ", dedupe.ttl.ms=" + dedupeTtlMs + "}";
  }

  private static String optional(Map<String, String> p, String key) {
    String v = p.get(key);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static String text(Map<String, String> p, String key, String fallback) {
    String v = optional(p, key);
    return v == null ? fallback : v;
  }

  private static String required(Map<String, String> p, String key, List<String> problems) {
    String v = optional(p, key);
    if (v == null) problems.add(key + ": is required");
    return v;
  }

  private static long positiveLong(Map<String, String> p, String key, long fallback, List<String> problems) {
    long v = nonNegativeLong(p, key, fallback, problems);
    if (v == 0) {
      problems.add(key + ": must be greater than 0");
      return fallback;
    }
    return v;
  }

  private static long nonNegativeLong(Map<String, String> p, String key, long fallback, List<String> problems) {
    String v = optional(p, key);
    if (v == null) return fallback;
    if (!v.matches("^[0-9]{1,18}$")) {
      problems.add(key + ": must be a whole number, got \"" + v + "\"");
      return fallback;
    }
    return Long.parseLong(v);
  }

  private static Boolean bool(Map<String, String> p, String key, boolean fallback, List<String> problems) {
    String v = optional(p, key);
    if (v == null) return fallback;
    if (v.equalsIgnoreCase("true")) return true;
    if (v.equalsIgnoreCase("false")) return false;
    problems.add(key + ": must be true or false, got \"" + v + "\"");
    return fallback;
  }
}
