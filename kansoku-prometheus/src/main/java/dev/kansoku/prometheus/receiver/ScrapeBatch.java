package dev.kansoku.prometheus.receiver;

import dev.kansoku.prometheus.relabel.RelabelRule;
import dev.kansoku.prometheus.textparse.Metadata;
import dev.kansoku.prometheus.textparse.SampleSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One scrape's samples on their way to OTLP, as Prometheus's scrape loop and upstream's transaction handle them:
 * target labels merged (honor_labels or {@code exported_} renaming), metric relabeling, limits, duplicate series
 * dropped, and each kept sample handed to {@link MetricsBuilder}. Remembers the series it saw, so the next scrape
 * can mark the missing ones stale.
 */
final class ScrapeBatch implements SampleSink {
  /** Raised from inside the parse when a limit is crossed: the scrape fails as Prometheus fails it. */
  static final class LimitExceeded extends RuntimeException {
    LimitExceeded(String message) {
      super(message, null, false, false);
    }
  }

  /** A series of the previous scrape: enough to write its stale marker. */
  record Series(String name, Map<String, String> labels, Metadata metadata, String family) {}

  private static final Set<String> SUFFIXES = Set.of("_bucket", "_sum", "_count", "_total", "_info", "_created",
      "_gsum", "_gcount");

  private final Job job;
  private final Target target;
  private final long timestampMs;
  private final MetricsBuilder builder;
  private final Map<String, Metadata> metadata = new HashMap<>();
  private final Map<String, Series> seen = new LinkedHashMap<>();
  private final Map<String, Series> previous;
  private int scraped;
  private int added;

  ScrapeBatch(Job job, Target target, long timestampMs, MetricsBuilder builder, Map<String, Series> previous) {
    this.job = job;
    this.target = target;
    this.timestampMs = timestampMs;
    this.builder = builder;
    this.previous = previous;
  }

  @Override
  public void metadata(String name, Metadata m) {
    metadata.put(name, m);
  }

  @Override
  public void sample(String name, String[] labels, int labelCount, double value, long timestampMs) {
    scraped++;
    Map<String, String> ls = merge(name, labels, labelCount);
    if (ls == null) {
      return;
    }
    String finalName = ls.remove("__name__");
    String key = finalName + ls;
    boolean explicit = job.honorTimestamps() && timestampMs != Long.MIN_VALUE;
    long ts = explicit ? timestampMs : this.timestampMs;
    String[] family = new String[1];
    Metadata m = lookup(finalName, family);
    Series series = new Series(finalName, ls, m, family[0]);
    if (seen.containsKey(key)) {
      return; // a duplicate series in one scrape: Prometheus keeps the first
    }
    if (job.sampleLimit() > 0 && seen.size() >= job.sampleLimit()) {
      throw new LimitExceeded("sample limit exceeded (limit: " + job.sampleLimit() + ")");
    }
    if (!explicit || job.trackTimestampsStaleness()) {
      seen.put(key, series);
    } else {
      seen.put(key, null);
    }
    if (!previous.containsKey(key)) {
      added++;
    }
    builder.add(series, value, ts, false);
  }

  @Override
  public void created(String family, String[] labels, int labelCount, double createdSeconds) {
    Map<String, String> ls = merge(family, labels, labelCount);
    if (ls != null) {
      ls.remove("__name__");
      builder.created(family, ls, createdSeconds);
    }
  }

  /** Writes stale markers for the series of the previous scrape that this one did not have. */
  void markStale(long staleTimestampMs) {
    for (Map.Entry<String, Series> e : previous.entrySet()) {
      if (e.getValue() != null && !seen.containsKey(e.getKey())) {
        builder.add(e.getValue(), Double.NaN, staleTimestampMs, true);
      }
    }
  }

  /** The series to compare the next scrape with. */
  Map<String, Series> seen() {
    return seen;
  }

  int scraped() {
    return scraped;
  }

  int kept() {
    return seen.size();
  }

  int added() {
    return added;
  }

  /** Sample labels with the target's labels, then metric relabeling; null when dropped. */
  private Map<String, String> merge(String name, String[] labels, int labelCount) {
    Map<String, String> ls = new TreeMap<>();
    for (int i = 0; i < labelCount; i++) {
      if (!labels[2 * i + 1].isEmpty()) {
        ls.put(labels[2 * i], labels[2 * i + 1]);
      }
    }
    if (job.honorLabels()) {
      target.labels().forEach(ls::putIfAbsent);
    } else {
      List<Map.Entry<String, String>> conflicts = new ArrayList<>();
      for (Map.Entry<String, String> t : target.labels().entrySet()) {
        String exposed = ls.get(t.getKey());
        if (exposed != null) {
          conflicts.add(Map.entry(t.getKey(), exposed));
        }
        ls.put(t.getKey(), t.getValue());
      }
      conflicts.sort((a, b) -> a.getKey().length() - b.getKey().length());
      for (Map.Entry<String, String> c : conflicts) {
        String renamed = c.getKey();
        do {
          renamed = "exported_" + renamed;
        } while (ls.containsKey(renamed));
        ls.put(renamed, c.getValue());
      }
    }
    ls.put("__name__", name);
    if (!job.metricRelabel().isEmpty() && !RelabelRule.process(job.metricRelabel(), ls)) {
      return null;
    }
    if (!ls.containsKey("__name__")) {
      return null;
    }
    checkLimits(ls);
    return ls;
  }

  private void checkLimits(Map<String, String> ls) {
    if (job.labelLimit() > 0 && ls.size() > job.labelLimit()) {
      throw new LimitExceeded("label_limit exceeded (metric: " + ls.get("__name__") + ", number of labels: "
          + ls.size() + ", limit: " + job.labelLimit() + ")");
    }
    for (Map.Entry<String, String> e : ls.entrySet()) {
      if (job.labelNameLengthLimit() > 0 && e.getKey().length() > job.labelNameLengthLimit()) {
        throw new LimitExceeded("label_name_length_limit exceeded (metric: " + ls.get("__name__") + ", label name: "
            + e.getKey() + ", length: " + e.getKey().length() + ", limit: " + job.labelNameLengthLimit() + ")");
      }
      if (job.labelValueLengthLimit() > 0 && e.getValue().length() > job.labelValueLengthLimit()) {
        throw new LimitExceeded("label_value_length_limit exceeded (metric: " + ls.get("__name__") + ", label name: "
            + e.getKey() + ", value: \"" + e.getValue() + "\", length: " + e.getValue().length() + ", limit: "
            + job.labelValueLengthLimit() + ")");
      }
    }
  }

  /** Upstream's metadataForMetric: exact name first, then the name without its type suffix. */
  private Metadata lookup(String name, String[] family) {
    Metadata internal = MetricsBuilder.INTERNAL.get(name);
    if (internal != null) {
      family[0] = name;
      return internal;
    }
    Metadata m = metadata.get(name);
    if (m != null) {
      family[0] = name;
      return m;
    }
    String normalized = normalize(name);
    m = metadata.get(normalized);
    if (m != null) {
      family[0] = m.type().equals("counter") ? name : normalized;
      return m;
    }
    family[0] = name;
    return Metadata.UNKNOWN;
  }

  static String normalize(String name) {
    for (String s : SUFFIXES) {
      if (name.endsWith(s) && name.length() > s.length()) {
        return name.substring(0, name.length() - s.length());
      }
    }
    return name;
  }
}
