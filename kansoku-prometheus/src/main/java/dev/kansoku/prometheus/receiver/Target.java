package dev.kansoku.prometheus.receiver;

import dev.kansoku.prometheus.config.PromDuration;
import dev.kansoku.prometheus.relabel.RelabelRule;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * A scrape target after relabeling, as Prometheus's {@code PopulateLabels} makes it: the job's defaults as
 * {@code __address__}-style labels, the relabel rules, then {@code __meta_*} removed and {@code instance} defaulted
 * to the address. {@link #labels()} are the labels every sample gets (those not starting with {@code __}).
 */
record Target(Map<String, String> allLabels, Map<String, String> labels, Map<String, String> discovered, String url,
    Duration interval, Duration timeout) {

  /** The identity of a target within its job: two groups naming the same target make one loop. */
  String key() {
    return allLabels.toString();
  }

  String job() {
    return labels.getOrDefault("job", "");
  }

  String instance() {
    return labels.getOrDefault("instance", "");
  }

  /**
   * The target for one discovered label set, or null when relabeling drops it.
   *
   * @throws IllegalArgumentException when the result is unusable (no address, bad interval), as Prometheus
   *     reports and skips such targets
   */
  @Nullable
  static Target populate(Job job, Map<String, String> targetLabels, Map<String, String> groupLabels) {
    Map<String, String> lb = new TreeMap<>();
    put(lb, targetLabels);
    for (Map.Entry<String, String> e : groupLabels.entrySet()) {
      if (lb.getOrDefault(e.getKey(), "").isEmpty() && !e.getValue().isEmpty()) {
        lb.put(e.getKey(), e.getValue());
      }
    }
    Map<String, String> discovered = Map.copyOf(lb);
    setIfAbsent(lb, "job", job.name());
    setIfAbsent(lb, "__scrape_interval__", PromDuration.format(job.interval()));
    setIfAbsent(lb, "__scrape_timeout__", PromDuration.format(job.timeout()));
    setIfAbsent(lb, "__metrics_path__", job.metricsPath());
    setIfAbsent(lb, "__scheme__", job.scheme());
    for (Map.Entry<String, List<String>> p : job.params().entrySet()) {
      if (!p.getValue().isEmpty()) {
        setIfAbsent(lb, "__param_" + p.getKey(), p.getValue().get(0));
      }
    }
    if (!RelabelRule.process(job.relabel(), lb)) {
      return null;
    }
    String address = lb.getOrDefault("__address__", "");
    if (address.isEmpty()) {
      throw new IllegalArgumentException("no address");
    }
    if (address.contains("/")) {
      throw new IllegalArgumentException("\"" + address + "\" is not a valid hostname");
    }
    Duration interval = labelDuration(lb, "__scrape_interval__", "interval");
    Duration timeout = labelDuration(lb, "__scrape_timeout__", "timeout");
    if (timeout.compareTo(interval) > 0) {
      throw new IllegalArgumentException("scrape timeout cannot be greater than scrape interval (\""
          + lb.get("__scrape_timeout__") + "\" > \"" + lb.get("__scrape_interval__") + "\")");
    }
    lb.keySet().removeIf(name -> name.startsWith("__meta_"));
    setIfAbsent(lb, "instance", address);
    Map<String, String> visible = new TreeMap<>();
    lb.forEach((k, v) -> {
      if (!k.startsWith("__")) {
        visible.put(k, v);
      }
    });
    return new Target(Map.copyOf(lb), visible, discovered, url(job, lb), interval, timeout);
  }

  private static String url(Job job, Map<String, String> lb) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    job.params().forEach((k, v) -> params.put(k, new ArrayList<>(v)));
    lb.forEach((k, v) -> {
      if (k.startsWith("__param_")) {
        List<String> values = params.computeIfAbsent(k.substring("__param_".length()), x -> new ArrayList<>());
        if (values.isEmpty()) {
          values.add(v);
        } else {
          values.set(0, v);
        }
      }
    });
    StringBuilder query = new StringBuilder();
    new TreeMap<>(params).forEach((k, values) -> values.forEach(v -> query.append(query.length() == 0 ? "?" : "&")
        .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
    String path = lb.getOrDefault("__metrics_path__", "");
    return lb.getOrDefault("__scheme__", "http") + "://" + lb.get("__address__") + path + query;
  }

  private static Duration labelDuration(Map<String, String> lb, String label, String what) {
    Duration d;
    try {
      d = PromDuration.parse(lb.getOrDefault(label, ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("error parsing scrape " + what + ": " + e.getMessage());
    }
    if (d.isZero()) {
      throw new IllegalArgumentException("scrape " + what + " cannot be 0");
    }
    return d;
  }

  private static void put(Map<String, String> lb, Map<String, String> labels) {
    labels.forEach((k, v) -> {
      if (!v.isEmpty()) {
        lb.put(k, v);
      }
    });
  }

  private static void setIfAbsent(Map<String, String> lb, String name, String value) {
    if (lb.getOrDefault(name, "").isEmpty() && !value.isEmpty()) {
      lb.put(name, value);
    }
  }
}
