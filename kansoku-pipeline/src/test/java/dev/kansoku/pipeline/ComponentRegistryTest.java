package dev.kansoku.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.pipeline.builtin.DebugExporterFactory;
import dev.kansoku.pipeline.builtin.NopExporterFactory;
import org.junit.jupiter.api.Test;

class ComponentRegistryTest {
  @Test
  void anAlias_findsTheSameFactory_andIsListed() {
    NopExporterFactory nop = new NopExporterFactory();
    ComponentRegistry r = ComponentRegistry.builder().add(nop).alias(ComponentKind.EXPORTER, "nop_too", "nop").build();
    assertThat(r.factory(ComponentKind.EXPORTER, "nop_too")).containsSame(nop);
    assertThat(r.types(ComponentKind.EXPORTER)).containsExactly("nop", "nop_too");
    assertThat(r.factory(ComponentKind.RECEIVER, "nop_too")).isEmpty();
  }

  @Test
  void anAlias_needsItsTarget_andCannotTakeAnotherTypesName() {
    ComponentRegistry.Builder b = ComponentRegistry.builder().add(new NopExporterFactory())
        .add(new DebugExporterFactory());
    assertThatThrownBy(() -> b.alias(ComponentKind.EXPORTER, "x", "otlp"))
        .hasMessage("no exporter factory for type \"otlp\" to alias");
    assertThatThrownBy(() -> b.alias(ComponentKind.EXPORTER, "debug", "nop"))
        .hasMessage("two exporter factories for type \"debug\"");
  }
}
