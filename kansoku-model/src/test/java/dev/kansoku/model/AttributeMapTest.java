package dev.kansoku.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AttributeMapTest {
  @Test
  void sorts_keys_normalises_values_and_keeps_the_last_of_a_repeated_key() {
    AttributeMap m = AttributeMap.builder(2).put("z", 1).put("a", "x").put("m", 2.5f).put("a", "y").build();
    assertThat(List.copyOf(m.keySet())).containsExactly("a", "m", "z");
    assertThat(m.get("a")).isEqualTo("y");
    assertThat(m.get("z")).isEqualTo(1L);
    assertThat(m.get("m")).isEqualTo(2.5d);
    assertThat(m.get("missing")).isNull();
    assertThat(m.get(42)).isNull();
    assertThat(m.containsKey("m")).isTrue();
  }

  @Test
  void equals_and_hashes_like_any_map_with_the_same_entries() {
    Map<String, Object> tree = new TreeMap<>(Map.of("k", "v", "n", 3L, "b", true));
    Map<String, Object> m = Attributes.copyOf(new LinkedHashMap<>(tree));
    assertThat(m).isInstanceOf(AttributeMap.class).isEqualTo(tree);
    assertThat(tree).isEqualTo(m);
    assertThat(m.hashCode()).isEqualTo(tree.hashCode());
    assertThat(m).isNotEqualTo(Attributes.copyOf(Map.of("k", "v", "n", 4L, "b", true)));
  }

  @Test
  void copy_of_an_attribute_map_is_the_same_object() {
    Map<String, Object> m = Attributes.copyOf(Map.of("service.name", "dice-server"));
    assertThat(Attributes.copyOf(m)).isSameAs(m);
  }

  @Test
  void is_unmodifiable_and_refuses_other_value_types() {
    Map<String, Object> m = Attributes.copyOf(Map.of("a", 1));
    assertThatThrownBy(() -> m.put("b", 2)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> AttributeMap.builder(1).put("list", List.of(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("list");
  }
}
