package dev.chargebackcdc.flink;

import java.util.Properties;

/** Kafka client security settings for source and DLQ sink alike. */
public final class KafkaAuth {
  private KafkaAuth() {}

  /**
   * Nothing for the local plaintext broker; for MSK Serverless (IAM-only, port 9098) SASL_SSL with the
   * AWS_MSK_IAM mechanism of aws-msk-iam-auth, which signs with the application's role (default credentials chain).
   */
  public static Properties properties(JobConfig.Auth auth) {
    Properties p = new Properties();
    if (auth == JobConfig.Auth.MSK_IAM) {
      p.setProperty("security.protocol", "SASL_SSL");
      p.setProperty("sasl.mechanism", "AWS_MSK_IAM");
      p.setProperty("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;");
      p.setProperty("sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler");
    } else {
      p.setProperty("security.protocol", "PLAINTEXT");
    }
    return p;
  }
}
