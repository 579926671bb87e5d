package dev.kansoku.prometheus.receiver;

import dev.kansoku.prometheus.config.GlobalConfig;
import dev.kansoku.prometheus.config.PromDuration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The checked {@code global} block. */
record GlobalSettings(Duration interval, Duration timeout, Map<String, String> externalLabels, List<String> protocols,
    GlobalConfig raw) {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  static GlobalSettings of(GlobalConfig g, String path) {
    Duration interval = Job.duration(g.scrapeInterval, path + "::scrape_interval");
    Duration timeout;
    if (g.scrapeTimeout == null) {
      timeout = DEFAULT_TIMEOUT.compareTo(interval) > 0 ? interval : DEFAULT_TIMEOUT;
    } else {
      timeout = Job.duration(g.scrapeTimeout, path + "::scrape_timeout");
      if (timeout.compareTo(interval) > 0) {
        throw new IllegalArgumentException(path + ": global scrape timeout greater than scrape interval ("
            + PromDuration.format(timeout) + " > " + PromDuration.format(interval) + ")");
      }
    }
    for (String name : g.externalLabels.keySet()) {
      if (name.isEmpty() || name.startsWith("__")) {
        throw new IllegalArgumentException(path + "::external_labels: \"" + name + "\" is not a valid label name");
      }
    }
    List<String> protocols = Job.protocols(g.scrapeProtocols, path + "::scrape_protocols");
    return new GlobalSettings(interval, timeout, new TreeMap<>(g.externalLabels), protocols, g);
  }
}
