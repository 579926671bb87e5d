package dev.kansoku.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.pipeline.config.ConfigBinder;
import dev.kansoku.store.Storage;
import dev.kansoku.store.StorageFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** storage::type picks a factory from the build's list; the other keys are that factory's settings. */
class KansokuExtensionConfigTest {
  /** Settings of a test store: what the extension bound shows up here. */
  static final class DiskSettings {
    String path = "./data";
    int copies = 1;
  }

  static final class NetSettings {
    String url = "";
  }

  private static final StorageFactory<DiskSettings> DISK = new StorageFactory<>() {
    @Override public String type() { return "disk"; }
    @Override public DiskSettings createDefaultConfig() { return new DiskSettings(); }
    @Override public void validate(DiskSettings c) {
      if (c.copies < 1) {
        throw new IllegalArgumentException("copies: expected >= 1");
      }
    }
    @Override public Storage open(DiskSettings c) { throw new UnsupportedOperationException(); }
  };

  private static final StorageFactory<NetSettings> NET = new StorageFactory<>() {
    @Override public String type() { return "net"; }
    @Override public NetSettings createDefaultConfig() { return new NetSettings(); }
    @Override public void validate(NetSettings c) { }
    @Override public Storage open(NetSettings c) { throw new UnsupportedOperationException(); }
  };

  private static KansokuExtensionConfig bind(Map<String, Object> storage) throws Exception {
    KansokuExtensionFactory factory = new KansokuExtensionFactory(List.of(DISK, NET), List.of());
    return ConfigBinder.bind(new ObjectMapper().valueToTree(Map.of("storage", storage)),
        factory.createDefaultConfig(), "extensions::kansoku");
  }

  @Test
  void the_type_picks_the_factory_and_the_other_keys_are_its_settings() throws Exception {
    KansokuExtensionConfig c = bind(Map.of("type", "disk", "path", "/var/lib/k", "copies", 2));
    assertThat(c.storageType()).isEqualTo("disk");
    DiskSettings s = (DiskSettings) c.storage().config();
    assertThat(s.path).isEqualTo("/var/lib/k");
    assertThat(s.copies).isEqualTo(2);
    assertThat(((NetSettings) bind(Map.of("type", "net", "url", "http://x")).storage().config()).url)
        .isEqualTo("http://x");
  }

  @Test
  void a_key_that_only_another_type_takes_is_left_to_it() throws Exception {
    KansokuExtensionConfig c = bind(Map.of("type", "net", "url", "http://x", "path", "/var/lib/k"));
    assertThat(c.storageType()).isEqualTo("net");
  }

  @Test
  void errors_name_the_key_and_the_choices() {
    assertThatThrownBy(() -> bind(Map.of("type", "tape")))
        .hasMessageContaining("storage::type: \"tape\" (expected: disk, net)");
    assertThatThrownBy(() -> bind(Map.of("type", "disk", "pth", "/x")))
        .hasMessageContaining("storage: unknown key \"pth\"").hasMessageContaining("path");
    assertThatThrownBy(() -> bind(Map.of("type", "disk", "copies", 0)))
        .hasMessageContaining("storage::copies: expected >= 1");
  }
}
