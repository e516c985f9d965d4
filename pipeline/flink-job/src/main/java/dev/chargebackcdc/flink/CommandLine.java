package dev.chargebackcdc.flink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Local command line: {@code --config <property-groups.json>} and any {@code --<key> <value>} (or
 * {@code --<key>=<value>}) of {@link JobConfig#KEYS}, which override the file. Managed Flink passes no
 * arguments; there the property groups come from the application's runtime properties.
 */
public record CommandLine(String configFile, Map<String, String> overrides) {
  public static final String CONFIG = "config";

  public static CommandLine parse(String... args) {
    String configFile = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        problems.add("unexpected argument \"" + arg + "\" (use --config <file> or --<property> <value>)");
        continue;
      }
      String key = arg.substring(2);
      String value;
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        problems.add("--" + key + ": needs a value");
        continue;
      }
      if (key.equals(CONFIG)) configFile = value;
      else overrides.put(key, value);
    }
    if (!problems.isEmpty()) throw new InvalidConfigException(problems);
    return new CommandLine(configFile, overrides);
  }
}
