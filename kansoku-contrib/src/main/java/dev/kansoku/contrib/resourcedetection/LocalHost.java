package dev.kansoku.contrib.resourcedetection;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.InitialDirContext;

/**
 * This machine, read as the collector's Go code reads it: files under {@code root} ({@code /proc},
 * {@code /etc}) for the host name, machine id, os-release, uname fields and CPU; the JDK for names,
 * addresses and interfaces.
 */
final class LocalHost implements HostInfo {
  private final Path root;
  private final String javaOsName;
  private final String javaOsArch;

  LocalHost() {
    this(Path.of("/"), System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
  }

  /** @param root where /proc and /etc are looked for (a directory tree in tests) */
  LocalHost(Path root, String javaOsName, String javaOsArch) {
    this.root = root;
    this.javaOsName = javaOsName;
    this.javaOsArch = javaOsArch;
  }

  @Override
  public String hostname() throws IOException {
    Optional<String> kernel = read("proc/sys/kernel/hostname");
    if (kernel.isPresent() && !kernel.get().isEmpty()) {
      return kernel.get();
    }
    return InetAddress.getLocalHost().getHostName();
  }

  @Override
  public String fqdn() throws IOException {
    InetAddress local = InetAddress.getByName(hostname());
    String name = local.getCanonicalHostName();
    if (name.equals(local.getHostAddress())) {
      throw new IOException("could not get FQDN: no name for " + name);
    }
    return trimDot(name);
  }

  @Override
  public String cname() throws IOException {
    String host = hostname();
    Hashtable<String, String> env = new Hashtable<>();
    env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
    try {
      Attribute cname = new InitialDirContext(env).getAttributes(host, new String[] {"CNAME"}).get("CNAME");
      if (cname != null && cname.size() > 0) {
        return trimDot(cname.get(0).toString());
      }
    } catch (NamingException e) {
      throw new IOException("LookupCNAME failed to get CNAME: " + e.getMessage(), e);
    }
    // As Go's LookupCNAME: a name with addresses but no CNAME record is its own canonical name.
    InetAddress.getByName(host);
    return host;
  }

  @Override
  public String reverseLookup() throws IOException {
    String host = hostname();
    for (InetAddress a : InetAddress.getAllByName(host)) {
      String name = InetAddress.getByAddress(a.getAddress()).getCanonicalHostName();
      if (!name.equals(a.getHostAddress())) {
        return trimDot(name);
      }
    }
    throw new UnknownHostException("reverseLookup failed to convert IP addresses of " + host + " to a name");
  }

  @Override
  public String osType() {
    String n = javaOsName.toLowerCase(Locale.ROOT);
    if (n.startsWith("linux")) {
      return "linux";
    }
    if (n.startsWith("mac") || n.startsWith("darwin")) {
      return "darwin";
    }
    if (n.startsWith("windows")) {
      return "windows";
    }
    if (n.startsWith("sunos") || n.startsWith("solaris")) {
      return "solaris";
    }
    if (n.equals("z/os")) {
      return "z_os";
    }
    if (n.startsWith("hp-ux")) {
      return "hpux";
    }
    return n.replace(" ", "");
  }

  @Override
  public String hostArch() {
    String a = javaOsArch.toLowerCase(Locale.ROOT);
    switch (a) {
      case "amd64":
      case "x86_64":
        return "amd64";
      case "aarch64":
      case "arm64":
        return "arm64";
      case "x86":
      case "i386":
      case "i486":
      case "i586":
      case "i686":
        return "x86";
      case "ppc64le":
      case "ppc64":
        return "ppc64";
      default:
        return a.startsWith("arm") ? "arm32" : a;
    }
  }

  @Override
  public Optional<String> hostId() {
    for (String file : List.of("etc/machine-id", "var/lib/dbus/machine-id")) {
      Optional<String> id = read(file).filter(s -> !s.isEmpty());
      if (id.isPresent()) {
        return id;
      }
    }
    return Optional.empty();
  }

  @Override
  public List<String> ips() throws IOException {
    List<String> out = new ArrayList<>();
    for (NetworkInterface nic : upInterfaces()) {
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (!a.isLoopbackAddress()) {
          out.add(goIp(a));
        }
      }
    }
    return out;
  }

  @Override
  public List<String> macs() throws IOException {
    List<String> out = new ArrayList<>();
    for (NetworkInterface nic : upInterfaces()) {
      byte[] mac = nic.getHardwareAddress();
      StringBuilder s = new StringBuilder();
      for (int i = 0; mac != null && i < mac.length; i++) {
        s.append(i == 0 ? "" : "-").append(String.format("%02X", mac[i] & 0xff));
      }
      out.add(s.toString());
    }
    return out;
  }

  @Override
  public List<String> interfaces() throws IOException {
    return upInterfaces().stream().map(NetworkInterface::getName).toList();
  }

  private static List<NetworkInterface> upInterfaces() throws SocketException {
    List<NetworkInterface> out = new ArrayList<>();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        out.add(nic);
      }
    }
    return out;
  }

  @Override
  public String osDescription() throws IOException {
    String uname = String.join(" ", kernel("ostype", capitalised(osType())), hostname(), kernelRelease(),
        kernel("version", ""), machine());
    Map<String, String> release = osRelease();
    String version = release.getOrDefault("VERSION", release.getOrDefault("VERSION_ID", ""));
    String name = release.getOrDefault("NAME", "");
    String pretty = !name.isEmpty() && !version.isEmpty() ? name + " " + version : release.getOrDefault("PRETTY_NAME", "");
    return pretty.isEmpty() ? uname : pretty + " (" + uname + ")";
  }

  @Override
  public Map<String, String> osRelease() {
    for (String file : List.of("etc/os-release", "usr/lib/os-release")) {
      Optional<String> text = read(file);
      if (text.isPresent()) {
        return parseOsRelease(text.get());
      }
    }
    return Map.of();
  }

  @Override
  public String kernelRelease() {
    return kernel("osrelease", System.getProperty("os.version", ""));
  }

  @Override
  public Optional<Cpu> cpu() {
    Optional<String> text = read("proc/cpuinfo");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> first = new HashMap<>();
    for (String line : text.get().split("\n")) {
      if (line.isBlank()) {
        if (!first.isEmpty()) {
          break;
        }
        continue;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        first.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    if (first.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Cpu(first.getOrDefault("vendor_id", ""), first.getOrDefault("cpu family", ""),
        first.getOrDefault("model", ""), first.getOrDefault("model name", ""),
        number(first.getOrDefault("stepping", "0")), number(first.getOrDefault("cache size", "0").replace(" KB", ""))));
  }

  private static long number(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** os-release lines: KEY=value, the value optionally quoted with shell escapes. */
  static Map<String, String> parseOsRelease(String text) {
    Map<String, String> out = new HashMap<>();
    for (String line : text.split("\n")) {
      String l = line.trim();
      int eq = l.indexOf('=');
      if (l.startsWith("#") || eq <= 0) {
        continue;
      }
      String v = l.substring(eq + 1).trim();
      if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
        v = v.substring(1, v.length() - 1).replaceAll("\\\\([\\\\$\"'`])", "$1");
      }
      out.put(l.substring(0, eq).trim(), v);
    }
    return out;
  }

  private String kernel(String name, String fallback) {
    return read("proc/sys/kernel/" + name).orElse(fallback);
  }

  /** uname -m: the JVM says amd64 where the kernel says x86_64. */
  private String machine() {
    return javaOsArch.equals("amd64") ? "x86_64" : javaOsArch;
  }

  private static String capitalised(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private Optional<String> read(String file) {
    try {
      return Optional.of(Files.readString(root.resolve(file), StandardCharsets.UTF_8).trim());
    } catch (IOException | RuntimeException e) {
      // Absent or unreadable: the attribute it feeds is left out, as upstream does.
      return Optional.empty();
    }
  }

  private static String trimDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  /** Go's net.IP.String(): dotted IPv4; IPv6 in RFC 5952 form (longest zero run as ::), no zone. */
  static String goIp(InetAddress a) {
    if (a instanceof Inet4Address) {
      return a.getHostAddress();
    }
    byte[] b = a.getAddress();
    if (!(a instanceof Inet6Address) || b.length != 16) {
      return a.getHostAddress();
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = (b[2 * i] & 0xff) << 8 | b[2 * i + 1] & 0xff;
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        s.append("::");
        i += bestLen - 1;
        continue;
      }
      if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
        s.append(':');
      }
      s.append(Integer.toHexString(groups[i]));
    }
    return s.toString();
  }
}
