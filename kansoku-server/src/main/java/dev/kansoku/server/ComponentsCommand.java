package dev.kansoku.server;

import dev.kansoku.pipeline.ComponentFactory;
import dev.kansoku.pipeline.ComponentKind;
import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.ExporterFactory;
import dev.kansoku.pipeline.ProcessorFactory;
import dev.kansoku.pipeline.ReceiverFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import dev.kansoku.pipeline.featuregate.FeatureGate;
import dev.kansoku.pipeline.featuregate.FeatureGates;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * {@code kansoku components}: the components of this build with their stability, in the YAML shape
 * {@code otelcol components} prints (build info, then receivers, processors, exporters, connectors,
 * extensions and config providers; each component once under its current name, a signal it does not
 * support as Undefined). A component's {@code module} is its Java package and the Kansoku version, as
 * the collector gives the Go module and its version. A last section, which otelcol prints with its
 * {@code featuregate} command instead, lists the feature gates with their stage and state.
 */
final class ComponentsCommand {
  /** The schemes of {@code --config} (see {@link ConfigSelection}), as the collector's providers. */
  private static final List<String> PROVIDER_SCHEMES = List.of("env", "file", "yaml");

  private ComponentsCommand() {}

  static int run(ComponentRegistry registry, String version, PrintStream out) {
    StringBuilder b = new StringBuilder();
    b.append("buildinfo:\n");
    b.append("    command: kansoku\n");
    b.append("    description: Kansoku\n");
    b.append("    version: ").append(version).append('\n');
    kind(b, registry, ComponentKind.RECEIVER, version);
    kind(b, registry, ComponentKind.PROCESSOR, version);
    kind(b, registry, ComponentKind.EXPORTER, version);
    b.append("connectors: []\n");
    kind(b, registry, ComponentKind.EXTENSION, version);
    b.append("providers:\n");
    for (String scheme : PROVIDER_SCHEMES) {
      b.append("    - scheme: ").append(scheme).append('\n');
      b.append("      module: ").append(ConfigSelection.class.getPackageName()).append(' ').append(version).append('\n');
    }
    b.append("featuregates:\n");
    for (FeatureGate g : FeatureGates.global().gates()) {
      b.append("    - id: ").append(g.id()).append('\n');
      b.append("      stage: ").append(g.stage()).append('\n');
      b.append("      enabled: ").append(g.isEnabled()).append('\n');
      b.append("      from_version: ").append(g.fromVersion()).append('\n');
    }
    out.print(b);
    return 0;
  }

  private static void kind(StringBuilder b, ComponentRegistry registry, ComponentKind kind, String version) {
    List<ComponentFactory<?>> factories = registry.factories(kind);
    b.append(kind.configKey()).append(':');
    if (factories.isEmpty()) {
      b.append(" []\n");
      return;
    }
    b.append('\n');
    for (ComponentFactory<?> f : factories) {
      b.append("    - name: ").append(f.type()).append('\n');
      b.append("      module: ").append(f.getClass().getPackageName()).append(' ').append(version).append('\n');
      b.append("      stability:\n");
      if (kind == ComponentKind.EXTENSION) {
        b.append("        extension: ").append(f.stability()).append('\n');
        continue;
      }
      Set<Signal<?>> signals = signals(f);
      // The collector's order: logs, metrics, traces.
      for (Signal<?> s : List.of(Signal.LOGS, Signal.METRICS, Signal.TRACES)) {
        b.append("        ").append(s.name()).append(": ")
            .append(signals.contains(s) ? f.stability() : Stability.UNDEFINED).append('\n');
      }
    }
  }

  private static Set<Signal<?>> signals(ComponentFactory<?> f) {
    if (f instanceof ReceiverFactory<?> r) {
      return r.signals();
    }
    if (f instanceof ProcessorFactory<?> p) {
      return p.signals();
    }
    return ((ExporterFactory<?>) f).signals();
  }
}
