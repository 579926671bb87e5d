package dev.kansoku.contrib.resourcedetection;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code system}: host.name from the first hostname source that answers, os.type, and the optional
 * host and OS attributes (off unless resource_attributes turns them on, as upstream).
 */
final class SystemDetector implements Detector {
  private static final Logger log = LoggerFactory.getLogger(SystemDetector.class);
  static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.6.1";

  private final HostInfo host;
  private final List<String> sources;
  private final Predicate<String> enabled;

  SystemDetector(HostInfo host, DetectorSettings.SystemSettings settings) {
    this.host = host;
    this.sources = settings.sources();
    this.enabled = settings.enabled();
  }

  @Override
  public Detected detect(Instant deadline) throws DetectionException {
    try {
      List<String> ips = enabled.test("host.ip") ? host.ips() : List.of();
      List<String> macs = enabled.test("host.mac") ? host.macs() : List.of();
      List<String> nics = enabled.test("host.interface") ? host.interfaces() : List.of();
      String description = enabled.test("os.description") ? host.osDescription() : "";
      Optional<HostInfo.Cpu> cpu = cpuWanted() ? host.cpu() : Optional.empty();
      List<String> failures = new ArrayList<>();
      for (String source : sources) {
        String name;
        try {
          name = hostname(source);
        } catch (IOException | RuntimeException e) {
          failures.add(source + ": " + e.getMessage());
          continue;
        }
        Attributes a = new Attributes(enabled).str("host.name", name).str("os.type", host.osType());
        Map<String, String> release = host.osRelease();
        a.str("os.version", release.getOrDefault("VERSION_ID", ""));
        if (enabled.test("host.id")) {
          Optional<String> id = host.hostId();
          if (id.isPresent()) {
            a.str("host.id", id.get());
          } else {
            log.warn("resourcedetection system: failed to get host ID (no /etc/machine-id)");
          }
        }
        a.str("host.arch", host.hostArch()).strings("host.ip", ips).strings("host.mac", macs)
            .strings("host.interface", nics).str("os.description", description)
            .str("os.name", release.getOrDefault("NAME", ""))
            .str("os.build.id", release.getOrDefault("BUILD_ID", host.kernelRelease()));
        cpu.ifPresent(c -> {
          a.str("host.cpu.vendor.id", c.vendorId()).str("host.cpu.family", c.family());
          if (!c.model().isEmpty()) {
            a.str("host.cpu.model.id", c.model());
          }
          a.str("host.cpu.model.name", c.modelName()).str("host.cpu.stepping", Long.toString(c.stepping()))
              .integer("host.cpu.cache.l2.size", c.cacheKb());
        });
        return a.detected(SCHEMA_URL);
      }
      log.debug("resourcedetection system: hostname sources failed: {}", failures);
      throw new DetectionException("all hostname sources failed to get hostname " + failures, false);
    } catch (IOException e) {
      throw new DetectionException("system", e);
    }
  }

  private boolean cpuWanted() {
    return List.of("host.cpu.vendor.id", "host.cpu.family", "host.cpu.model.id", "host.cpu.model.name",
        "host.cpu.stepping", "host.cpu.cache.l2.size").stream().anyMatch(enabled);
  }

  private String hostname(String source) throws IOException {
    switch (source) {
      case "os":
        return host.hostname();
      case "dns":
        return host.fqdn();
      case "cname":
        return host.cname();
      default:
        return host.reverseLookup();
    }
  }
}
