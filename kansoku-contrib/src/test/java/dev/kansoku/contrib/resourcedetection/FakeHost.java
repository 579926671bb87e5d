package dev.kansoku.contrib.resourcedetection;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A machine with fixed answers; a source set to null fails. */
final class FakeHost implements HostInfo {
  String hostname = "ip-10-0-1-17";
  String fqdn = "ip-10-0-1-17.us-west-2.compute.internal";
  String cname;
  String reverse;
  String machineId = "4c4c4544-0042-3510-8052-b4c04f4d3532";
  /** How many times a host name source was asked. */
  int asked;
  Map<String, String> osRelease = new HashMap<>(Map.of("NAME", "Amazon Linux", "VERSION", "2023",
      "VERSION_ID", "2023", "BUILD_ID", "2023.4.20240611"));

  @Override
  public String hostname() throws IOException {
    asked++;
    return answer(hostname, "os");
  }

  @Override
  public String fqdn() throws IOException {
    return answer(fqdn, "dns");
  }

  @Override
  public String cname() throws IOException {
    return answer(cname, "cname");
  }

  @Override
  public String reverseLookup() throws IOException {
    return answer(reverse, "lookup");
  }

  private static String answer(String value, String source) throws IOException {
    if (value == null) {
      throw new IOException(source + " failed");
    }
    return value;
  }

  @Override
  public String osType() {
    return "linux";
  }

  @Override
  public String hostArch() {
    return "arm64";
  }

  @Override
  public Optional<String> hostId() {
    return Optional.ofNullable(machineId);
  }

  @Override
  public List<String> ips() {
    return List.of("10.0.1.17", "fe80::1");
  }

  @Override
  public List<String> macs() {
    return List.of("0A-1B-2C-3D-4E-5F");
  }

  @Override
  public List<String> interfaces() {
    return List.of("eth0");
  }

  @Override
  public String osDescription() {
    return "Amazon Linux 2023 (Linux ip-10-0-1-17 6.1.92 #1 SMP aarch64)";
  }

  @Override
  public Map<String, String> osRelease() {
    return osRelease;
  }

  @Override
  public String kernelRelease() {
    return "6.1.92";
  }

  @Override
  public Optional<Cpu> cpu() {
    return Optional.of(new Cpu("ARM", "", "", "Neoverse-N1", 1, 1024));
  }
}
