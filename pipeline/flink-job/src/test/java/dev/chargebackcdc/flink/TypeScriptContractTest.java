package dev.chargebackcdc.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The constants this job shares with the TypeScript side are the same (DESIGN §2: a test fails when they
 * diverge). Reads the TS sources as text, from pipeline/ (Surefire runs in pipeline/flink-job).
 */
class TypeScriptContractTest {
  private static String read(String relative) throws IOException {
    return Files.readString(Path.of("..").resolve(relative));
  }

  /** The string values of a `const Name = { KEY: 'value', … } as const` object. */
  private static List<String> constValues(String source, String name) {
    Matcher block = Pattern.compile("const " + name + " = \\{(.*?)\\} as const", Pattern.DOTALL).matcher(source);
    assertTrue(block.find(), name + " not found");
    List<String> values = new ArrayList<>();
    Matcher v = Pattern.compile(":\\s*'([^']*)'").matcher(block.group(1));
    while (v.find()) values.add(v.group(1));
    return values;
  }

  @Test
  void eventTypesAndStatusesAreTheVocabularyOfTheTypeScriptSchema() throws IOException {
    String vocabulary = read("schema/vocabulary.ts");
    assertEquals(Vocabulary.EVENT_TYPES, constValues(vocabulary, "EventType"));
    assertEquals(Vocabulary.CHARGEBACK_STATUSES, constValues(vocabulary, "ChargebackStatus"));
    assertTrue(vocabulary.contains("export const SCHEMA_VERSION = " + ChangeRecordSchema.SCHEMA_VERSION + ";"));
  }

  @Test
  void dlqHeadersAndTopicsAreThoseOfTheKafkaStage() throws IOException {
    String topics = read("kafka/topics.ts");
    assertEquals(List.of(DeadLetterSerializer.REASON, DeadLetterSerializer.SOURCE_TOPIC, DeadLetterSerializer.SOURCE_PARTITION,
        DeadLetterSerializer.SOURCE_OFFSET), constValues(topics, "DlqHeaders"));
    List<String> names = constValues(topics, "Topics");
    assertEquals(List.of(JobConfig.DEFAULT_TOPIC, JobConfig.DEFAULT_DLQ_TOPIC, JobConfig.DEFAULT_GROUP_ID), names);
  }

  @Test
  void amountScaleAndPrecisionAreThoseOfMoneyTs() throws IOException {
    String money = read("schema/money.ts");
    assertTrue(money.contains("export const AMOUNT_SCALE = " + Amounts.SCALE + ";"));
    assertTrue(money.contains("export const AMOUNT_PRECISION = " + Amounts.PRECISION + ";"));
  }
}
