package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.pipeline.Component;
import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.ComponentFactory;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.ComponentKind;
import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.ExporterFactory;
import dev.kansoku.pipeline.ExtensionFactory;
import dev.kansoku.pipeline.ProcessorFactory;
import dev.kansoku.pipeline.ReceiverFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import dev.kansoku.pipeline.Validatable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Checks every registered component the same way: its default configuration either validates or
 * says what is required, and a component built from a valid default shuts down cleanly without
 * having been started (twice, since shutdown is idempotent).
 */
class ComponentsLifecycleTest {
  private final ComponentRegistry registry = Components.registry();

  @Test
  void everyComponent_defaultConfig_andShutdownWithoutStart() {
    List<String> requireSettings = new ArrayList<>();
    for (ComponentKind kind : ComponentKind.values()) {
      for (String type : registry.types(kind)) {
        ComponentFactory<?> f = registry.factory(kind, type).orElseThrow();
        // A type is the factory's own name or its deprecated alias (otlp for otlp_grpc).
        assertThat(registry.factory(kind, f.type())).containsSame(f);
        assertThat(type).isIn(f.type(), f.deprecatedAlias().orElse(f.type()));
        assertThat(f.kind()).isEqualTo(kind);
        assertThat(f.stability()).as(type).isNotEqualTo(Stability.UNDEFINED);
        Object config = f.createDefaultConfig();
        if (config instanceof Validatable v) {
          try {
            v.validate();
          } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).as(type).isNotBlank();
            requireSettings.add(kind.singular() + " " + type);
            continue;
          }
        }
        for (Component c : create(f, config)) {
          c.shutdown();
          c.shutdown();
        }
      }
    }
    assertThat(requireSettings).containsExactlyInAnyOrder("receiver otlp", "receiver prometheus",
        "processor memory_limiter", "processor resource", "processor attributes", "exporter file",
        "exporter otlp", "exporter otlp_grpc", "exporter otlp_http", "exporter otlphttp",
        "exporter prometheus_remote_write", "exporter prometheusremotewrite", "extension bearertokenauth");
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Component> create(ComponentFactory f, Object config) {
    ComponentContext ctx = context(ComponentId.parse(f.type()));
    if (f instanceof ReceiverFactory r) {
      return List.of(r.create(config, ctx, new Consumers(Map.of(Signal.TRACES, data -> {}))));
    }
    if (f instanceof ProcessorFactory p) {
      List<Component> out = new ArrayList<>();
      for (Object s : p.signals()) {
        out.add(p.create(config, ctx, (Signal) s, data -> {}));
      }
      return out;
    }
    if (f instanceof ExporterFactory e) {
      return List.of(e.create(config, ctx));
    }
    return List.of(((ExtensionFactory) f).create(config, ctx));
  }

  private static ComponentContext context(ComponentId id) {
    Map<Class<?>, Object> shared = new HashMap<>();
    return new ComponentContext() {
      @Override
      public ComponentId id() {
        return id;
      }

      @Override
      public <R> R shared(Class<R> type, Supplier<R> create) {
        return type.cast(shared.computeIfAbsent(type, t -> create.get()));
      }
    };
  }
}
