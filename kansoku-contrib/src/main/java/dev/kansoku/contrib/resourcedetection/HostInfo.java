package dev.kansoku.contrib.resourcedetection;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the {@code system} detector asks of the machine; {@link LocalHost} answers for this one. */
interface HostInfo {
  /** The kernel's host name ({@code os} source). */
  String hostname() throws IOException;

  /** The fully qualified name: the host name resolved, then looked up in reverse ({@code dns} source). */
  String fqdn() throws IOException;

  /** The canonical name DNS gives for the host name ({@code cname} source). */
  String cname() throws IOException;

  /** The first name a reverse lookup of the host name's addresses gives ({@code lookup} source). */
  String reverseLookup() throws IOException;

  /** os.type in semantic-convention form: linux, darwin, windows … */
  String osType();

  /** host.arch in semantic-convention form: amd64, arm64, x86 … */
  String hostArch();

  /** The machine id (e.g. /etc/machine-id), when the machine has one. */
  Optional<String> hostId();

  /** Addresses of the interfaces that are up, loopback excluded, in Go's textual form. */
  List<String> ips() throws IOException;

  /** MAC addresses of those interfaces, IEEE RA form (01-23-45-67-89-AB; "" for an interface without one). */
  List<String> macs() throws IOException;

  /** Names of those interfaces. */
  List<String> interfaces() throws IOException;

  /** The OS description as OpenTelemetry's Go SDK writes it: "{os-release name version} ({uname})". */
  String osDescription() throws IOException;

  /** The fields of os-release (NAME, VERSION_ID, BUILD_ID …); empty when there is none. */
  Map<String, String> osRelease();

  /** The kernel release (uname -r). */
  String kernelRelease() throws IOException;

  /** The first processor of /proc/cpuinfo, when there is one. */
  Optional<Cpu> cpu() throws IOException;

  record Cpu(String vendorId, String family, String model, String modelName, long stepping, long cacheKb) {}
}
