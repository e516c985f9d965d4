package dev.chargebackcdc.flink;

import java.util.List;

/** The job's configuration cannot be used; lists every problem, each naming its property. */
public class InvalidConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public InvalidConfigException(List<String> problems) {
    super("invalid chargeback-cdc Flink job configuration (property group " + JobConfig.PROPERTY_GROUP + "): "
        + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
