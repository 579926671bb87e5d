package dev.kansoku.contrib.resourcedetection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.contrib.resourcedetection.Detector.Detected;
import dev.kansoku.pipeline.config.ConfigBinder;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemDetectorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void defaults_are_host_name_from_dns_then_os_and_os_type() throws Exception {
    FakeHost host = new FakeHost();
    Detected d = detect(host, Map.of());
    assertThat(text(d)).isEqualTo(Map.of("host.name", "ip-10-0-1-17.us-west-2.compute.internal", "os.type", "linux"));
    assertThat(d.schemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.6.1");
    host.fqdn = null;
    assertThat(text(detect(host, Map.of())).get("host.name")).isEqualTo("ip-10-0-1-17");
  }

  @Test
  void hostname_sources_are_tried_in_order_and_all_failing_is_an_error() throws Exception {
    FakeHost host = new FakeHost();
    host.reverse = "web-1.example.internal";
    assertThat(text(detect(host, Map.of("hostname_sources", List.of("lookup", "os")))).get("host.name"))
        .isEqualTo("web-1.example.internal");
    host.cname = null;
    host.hostname = null;
    host.fqdn = null;
    assertThatThrownBy(() -> detect(host, Map.of("hostname_sources", List.of("cname", "os"))))
        .hasMessageContaining("all hostname sources failed to get hostname")
        .hasMessageContaining("cname: cname failed").hasMessageContaining("os: os failed");
  }

  @Test
  void optional_attributes_come_when_turned_on_in_upstreams_order() throws Exception {
    Map<String, Object> on = new LinkedHashMap<>();
    for (String a : List.of("host.id", "host.arch", "host.ip", "host.mac", "host.interface", "os.description",
        "os.name", "os.version", "os.build.id", "host.cpu.vendor.id", "host.cpu.family", "host.cpu.model.id",
        "host.cpu.model.name", "host.cpu.stepping", "host.cpu.cache.l2.size")) {
      on.put(a, Map.of("enabled", true));
    }
    on.put("os.type", Map.of("enabled", false));
    Detected d = detect(new FakeHost(), Map.of("resource_attributes", on, "hostname_sources", List.of("os")));
    assertThat(d.attributes()).extracting(KeyValue::getKey).containsExactly("host.name", "os.version", "host.id",
        "host.arch", "host.ip", "host.mac", "host.interface", "os.description", "os.name", "os.build.id",
        "host.cpu.vendor.id", "host.cpu.family", "host.cpu.model.name", "host.cpu.stepping", "host.cpu.cache.l2.size");
    Map<String, String> t = text(d);
    assertThat(t).containsEntry("host.id", "4c4c4544-0042-3510-8052-b4c04f4d3532").containsEntry("host.arch", "arm64")
        .containsEntry("os.version", "2023").containsEntry("os.name", "Amazon Linux")
        .containsEntry("os.build.id", "2023.4.20240611").containsEntry("host.cpu.stepping", "1");
    assertThat(d.attributes().get(4).getValue().getArrayValue().getValues(1).getStringValue()).isEqualTo("fe80::1");
    assertThat(d.attributes().get(14).getValue().getIntValue()).isEqualTo(1024);
  }

  @Test
  void settings_errors_name_their_path() {
    assertThatThrownBy(() -> settings(Map.of("hostname_sources", List.of("dns", "hosts"))))
        .hasMessageContaining("system::hostname_sources: invalid hostname source \"hosts\"");
    assertThatThrownBy(() -> settings(Map.of("resource_attributes", Map.of("host.nme", Map.of("enabled", true)))))
        .hasMessageContaining("system::resource_attributes: unknown attribute \"host.nme\"");
  }

  @Test
  void local_host_reads_proc_and_etc_as_the_go_code_does(@TempDir Path root) throws Exception {
    write(root, "etc/machine-id", "0123456789abcdef0123456789abcdef\n");
    write(root, "etc/os-release", "NAME=\"Ubuntu\"\nVERSION=\"22.04.4 LTS (Jammy Jellyfish)\"\nVERSION_ID=\"22.04\"\n"
        + "PRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\n# comment\n");
    write(root, "proc/sys/kernel/hostname", "builder\n");
    write(root, "proc/sys/kernel/ostype", "Linux\n");
    write(root, "proc/sys/kernel/osrelease", "5.15.0-107-generic\n");
    write(root, "proc/sys/kernel/version", "#117-Ubuntu SMP Fri Apr 26 12:26:49 UTC 2024\n");
    write(root, "proc/cpuinfo", "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\n"
        + "model name\t: Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz\nstepping\t: 7\ncache size\t: 36608 KB\n\n"
        + "processor\t: 1\nvendor_id\t: Other\n");
    LocalHost host = new LocalHost(root, "Linux", "amd64");
    assertThat(host.hostname()).isEqualTo("builder");
    assertThat(host.hostId()).hasValue("0123456789abcdef0123456789abcdef");
    assertThat(host.osType()).isEqualTo("linux");
    assertThat(host.hostArch()).isEqualTo("amd64");
    assertThat(host.osDescription()).isEqualTo("Ubuntu 22.04.4 LTS (Jammy Jellyfish) (Linux builder 5.15.0-107-generic"
        + " #117-Ubuntu SMP Fri Apr 26 12:26:49 UTC 2024 x86_64)");
    assertThat(host.cpu()).hasValue(new HostInfo.Cpu("GenuineIntel", "6", "85",
        "Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz", 7, 36608));
    assertThat(new LocalHost(root, "Mac OS X", "aarch64").osType()).isEqualTo("darwin");
    assertThat(new LocalHost(root, "Windows Server 2022", "x86").hostArch()).isEqualTo("x86");
    assertThat(new LocalHost(root, "Linux", "ppc64le").hostArch()).isEqualTo("ppc64");
    assertThat(new LocalHost(root.resolve("none"), "Linux", "amd64").hostId()).isEmpty();
  }

  @Test
  void addresses_print_as_go_prints_them() throws Exception {
    assertThat(LocalHost.goIp(InetAddress.getByName("10.0.1.17"))).isEqualTo("10.0.1.17");
    assertThat(LocalHost.goIp(InetAddress.getByName("fe80:0:0:0:0:0:0:1"))).isEqualTo("fe80::1");
    assertThat(LocalHost.goIp(InetAddress.getByName("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
    assertThat(LocalHost.goIp(InetAddress.getByName("2001:db8:1:2:3:4:5:6"))).isEqualTo("2001:db8:1:2:3:4:5:6");
    assertThat(LocalHost.goIp(InetAddress.getByName("2001:0:0:1:0:0:0:1"))).isEqualTo("2001:0:0:1::1");
  }

  private static void write(Path root, String file, String text) throws Exception {
    Path p = root.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private static DetectorSettings.SystemSettings settings(Map<String, Object> yaml) throws Exception {
    ResourceDetectionConfig c = ConfigBinder.bind(JSON.valueToTree(Map.of("detectors", List.of("system"),
        "system", yaml)), new ResourceDetectionConfig(), "processors::resourcedetection");
    return c.system;
  }

  private static Detected detect(HostInfo host, Map<String, Object> yaml) throws Exception {
    return new SystemDetector(host, settings(yaml)).detect(Instant.MAX);
  }

  static Map<String, String> text(Detected d) {
    Map<String, String> out = new LinkedHashMap<>();
    d.attributes().forEach(kv -> out.put(kv.getKey(), ResourceMerge.text(kv)));
    return out;
  }
}
