package dev.kansoku.server;

import dev.kansoku.pipeline.featuregate.FeatureGate;
import dev.kansoku.pipeline.featuregate.FeatureGates;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code kansoku featuregate [id]}: the feature gates of this build, as {@code otelcol featuregate}
 * prints them — a table of id, enabled, stage and description, or the details of one gate.
 */
final class FeatureGateCommand {
  private FeatureGateCommand() {}

  static int run(List<String> args, PrintStream out, PrintStream err) {
    List<FeatureGate> gates = FeatureGates.global().gates();
    if (args.size() > 1) {
      err.println("featuregate takes at most one feature id\n\n" + Main.USAGE);
      return 2;
    }
    if (args.size() == 1) {
      for (FeatureGate g : gates) {
        if (g.id().equals(args.get(0))) {
          out.println("Feature: " + g.id());
          out.println("Enabled: " + g.isEnabled());
          out.println("Stage: " + g.stage());
          out.println("Description: " + g.description());
          out.println("From Version: " + g.fromVersion());
          return 0;
        }
      }
      err.println("feature \"" + args.get(0) + "\" not found");
      return 1;
    }
    int idWidth = "ID".length();
    int stageWidth = "Stage".length();
    for (FeatureGate g : gates) {
      idWidth = Math.max(idWidth, g.id().length());
      stageWidth = Math.max(stageWidth, g.stage().toString().length());
    }
    String row = "%-" + idWidth + "s  %-7s  %-" + stageWidth + "s  %s%n";
    out.printf(row, "ID", "Enabled", "Stage", "Description");
    for (FeatureGate g : gates) {
      out.printf(row, g.id(), g.isEnabled(), g.stage(), g.description());
    }
    return 0;
  }
}
