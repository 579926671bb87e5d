package dev.kansoku.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.pipeline.builtin.DebugExporterFactory;
import dev.kansoku.pipeline.builtin.NopExporterFactory;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ComponentRegistryTest {
  /** nop, renamed to no_op with the old name kept. */
  private static final class RenamedNop implements ExporterFactory<Object> {
    private final NopExporterFactory nop = new NopExporterFactory();

    @Override
    public String type() {
      return "no_op";
    }

    @Override
    public Optional<String> deprecatedAlias() {
      return Optional.of("nop");
    }

    @Override
    public Stability stability() {
      return Stability.BETA;
    }

    @Override
    public Object createDefaultConfig() {
      return nop.createDefaultConfig();
    }

    @Override
    public Set<Signal<?>> signals() {
      return nop.signals();
    }

    @Override
    public Exporter create(Object config, ComponentContext context) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void aDeprecatedAlias_findsTheSameFactory_butListsItOnce() {
    RenamedNop renamed = new RenamedNop();
    DebugExporterFactory debug = new DebugExporterFactory();
    ComponentRegistry r = ComponentRegistry.builder().add(renamed).add(debug).build();
    assertThat(r.factory(ComponentKind.EXPORTER, "nop")).containsSame(renamed);
    assertThat(r.factory(ComponentKind.EXPORTER, "no_op")).containsSame(renamed);
    assertThat(r.factory(ComponentKind.RECEIVER, "nop")).isEmpty();
    assertThat(r.types(ComponentKind.EXPORTER)).containsExactly("debug", "no_op", "nop");
    assertThat(r.factories(ComponentKind.EXPORTER)).containsExactly(debug, renamed);
  }

  @Test
  void aDeprecatedAlias_cannotTakeAnotherTypesName() {
    ComponentRegistry.Builder b = ComponentRegistry.builder().add(new NopExporterFactory());
    assertThatThrownBy(() -> b.add(new RenamedNop()))
        .hasMessage("two exporter factories for type \"nop\" (alias of \"no_op\")");
    assertThatThrownBy(() -> b.add(new NopExporterFactory()))
        .hasMessage("two exporter factories for type \"nop\"");
  }
}
