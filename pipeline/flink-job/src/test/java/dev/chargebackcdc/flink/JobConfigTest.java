package dev.chargebackcdc.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class JobConfigTest {

  private static Map<String, Properties> groupsFromResource(String name) throws Exception {
    Path file = Path.of(JobConfigTest.class.getResource("/" + name).toURI());
    return KinesisAnalyticsRuntime.getApplicationProperties(file.toString());
  }

  private static Map<String, Properties> group(String... keyValues) {
    Properties p = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) p.setProperty(keyValues[i], keyValues[i + 1]);
    return Map.of(JobConfig.PROPERTY_GROUP, p);
  }

  @Test
  void readsTheManagedFlinkPropertyGroupsFile() throws Exception {
    JobConfig c = JobConfig.from(groupsFromResource("application-properties-local.json"), Map.of());

    assertEquals("127.0.0.1:9092", c.bootstrapServers());
    assertEquals("chargebacks", c.topic());
    assertEquals("chargebacks-dlq", c.dlqTopic());
    assertEquals("flink-parquet-writer", c.groupId());
    assertEquals("chargeback-cdc-landing", c.bucket());
    assertEquals("s3://chargeback-cdc-landing/landing/chargebacks", c.landingPath());
    assertEquals(5000, c.checkpointIntervalMs());
    assertEquals(JobConfig.Auth.PLAINTEXT, c.auth());
    assertEquals("http://127.0.0.1:4566", c.s3Endpoint());
    assertTrue(c.s3PathStyle());
  }

  @Test
  void readsAnMskIamDeploymentAndBuildsTheSaslSettings() throws Exception {
    JobConfig c = JobConfig.from(groupsFromResource("application-properties-msk.json"), Map.of());

    assertEquals(JobConfig.Auth.MSK_IAM, c.auth());
    assertEquals("boot-abc.c2.kafka-serverless.us-east-1.amazonaws.com:9098", c.bootstrapServers());
    assertNull(c.s3Endpoint());
    assertFalse(c.s3PathStyle());
    assertEquals(60_000, c.checkpointIntervalMs());

    Properties kafka = KafkaAuth.properties(c.auth());
    assertEquals("SASL_SSL", kafka.getProperty("security.protocol"));
    assertEquals("AWS_MSK_IAM", kafka.getProperty("sasl.mechanism"));
    assertEquals("software.amazon.msk.auth.iam.IAMLoginModule required;", kafka.getProperty("sasl.jaas.config"));
    assertEquals("software.amazon.msk.auth.iam.IAMClientCallbackHandler", kafka.getProperty("sasl.client.callback.handler.class"));
    // The classes named there are really in the JAR.
    Class.forName(kafka.getProperty("sasl.client.callback.handler.class"));
    Class.forName("software.amazon.msk.auth.iam.IAMLoginModule");
  }

  @Test
  void usesPlaintextLocally() {
    Properties kafka = KafkaAuth.properties(JobConfig.Auth.PLAINTEXT);
    assertEquals("PLAINTEXT", kafka.getProperty("security.protocol"));
    assertNull(kafka.getProperty("sasl.mechanism"));
  }

  @Test
  void appliesTheSeedDefaults() {
    JobConfig c = JobConfig.from(group("bootstrap.servers", "k:9092", "bucket", "my-bucket"), Map.of());
    assertEquals("chargebacks", c.topic());
    assertEquals("chargebacks-dlq", c.dlqTopic());
    assertEquals("flink-parquet-writer", c.groupId());
    assertEquals("landing/chargebacks", c.prefix());
    assertEquals(60_000, c.checkpointIntervalMs());
    assertEquals(JobConfig.Auth.PLAINTEXT, c.auth());
    assertEquals(24 * 3600 * 1000L, c.dedupeTtlMs());
  }

  @Test
  void commandLineArgumentsOverrideTheFile() {
    CommandLine cli = CommandLine.parse("--config", "/tmp/x.json", "--checkpoint.interval.ms", "2000", "--group.id=other");
    assertEquals("/tmp/x.json", cli.configFile());
    JobConfig c = JobConfig.from(group("bootstrap.servers", "k:9092", "bucket", "my-bucket", "group.id", "g1"), cli.overrides());
    assertEquals(2000, c.checkpointIntervalMs());
    assertEquals("other", c.groupId());
  }

  @Test
  void reportsEveryProblemAtOnce() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> JobConfig.from(
        group("checkpoint.interval.ms", "soon", "auth", "sasl", "s3.path.style", "maybe", "bukket", "x"), Map.of()));
    assertEquals(List.of(
        "bukket: unknown property (known: auth, bootstrap.servers, bucket, checkpoint.interval.ms, dedupe.ttl.ms, dlq.topic, "
            + "group.id, local.state.dir, parallelism, prefix, s3.access-key, s3.endpoint, s3.path.style, s3.secret-key, topic)",
        "bootstrap.servers: is required",
        "bucket: is required",
        "checkpoint.interval.ms: must be a whole number, got \"soon\"",
        "auth: must be plaintext or msk-iam, got \"sasl\"",
        "s3.path.style: must be true or false, got \"maybe\""), e.problems());
  }

  @Test
  void refusesAZeroCheckpointInterval() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> JobConfig.from(group("bootstrap.servers", "k:9092", "bucket", "b-1", "checkpoint.interval.ms", "0"), Map.of()));
    assertEquals(List.of("checkpoint.interval.ms: must be greater than 0"), e.problems());
  }

  @Test
  void masksSecretsWhenPrinted() {
    JobConfig c = JobConfig.from(group("bootstrap.servers", "k:9092", "bucket", "b-1", "s3.secret-key", "hunter2"), Map.of());
    assertFalse(c.toString().contains("hunter2"));
    assertTrue(c.toString().contains("s3.secret-key=****"));
  }

  @Test
  void refusesStrayArguments() {
    assertThrows(InvalidConfigException.class, () -> CommandLine.parse("config.json"));
    assertThrows(InvalidConfigException.class, () -> CommandLine.parse("--bucket"));
  }

}
