package dev.kansoku.prometheus.receiver;

import dev.kansoku.prometheus.textparse.Metadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@code trim_metric_suffixes}: removes the type suffix (_total of counters, _ratio of unit-1 gauges) and the unit. */
final class Suffixes {
  private Suffixes() {}

  static String trim(String name, Metadata metadata) {
    List<String> tokens = new ArrayList<>(Arrays.asList(name.split("_", -1)));
    if (tokens.size() <= 1) {
      return name;
    }
    String last = tokens.get(tokens.size() - 1);
    if ((metadata.type().equals("counter") && last.equals("total"))
        || (metadata.type().equals("gauge") && metadata.unit().equals("1") && last.equals("ratio"))) {
      tokens.remove(tokens.size() - 1);
    }
    if (!metadata.unit().isEmpty() && !metadata.unit().equals("1")) {
      List<String> unit = Arrays.asList(metadata.unit().split("_"));
      int from = tokens.size() - unit.size();
      if (from > 0 && tokens.subList(from, tokens.size()).equals(unit)) {
        tokens.subList(from, tokens.size()).clear();
      }
    }
    return String.join("_", tokens);
  }
}
