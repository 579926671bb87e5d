package dev.kansoku.prometheus.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kansoku.prometheus.config.FileSdConfig;
import dev.kansoku.prometheus.config.PromDuration;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code file_sd_configs}: target groups from JSON or YAML files ({@code [{targets: [...], labels: {...}}]}),
 * re-read when a file's modification time or the set of matching files changes (checked every second) and
 * every {@code refresh_interval}. Each target gets {@code __meta_filepath}. A file that cannot be read or parsed
 * keeps its last good groups, as Prometheus does, and the failure is logged.
 */
public final class FileDiscovery implements TargetDiscovery {
  private static final Logger log = LoggerFactory.getLogger(FileDiscovery.class);
  private static final Pattern FILE_PATTERN = Pattern.compile("^[^*]*(\\*[^/]*)?\\.(json|yml|yaml|JSON|YML|YAML)$");
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final List<String> patterns;
  private final Duration refresh;
  private final Map<Path, Long> seen = new HashMap<>();
  private final Map<Path, Integer> groupCounts = new HashMap<>();
  private ScheduledExecutorService timer;
  private long lastFull;

  public FileDiscovery(FileSdConfig config) {
    this.patterns = List.copyOf(config.files);
    this.refresh = PromDuration.parse(config.refreshInterval);
  }

  /** Checks the patterns and, as upstream's receiver does, that each names readable, well-formed files. */
  public static void validate(FileSdConfig config, String path, String job) {
    try {
      PromDuration.parse(config.refreshInterval);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + "::refresh_interval: " + e.getMessage());
    }
    for (String p : config.files) {
      if (!FILE_PATTERN.matcher(p).matches()) {
        throw new IllegalArgumentException(path + "::files: path name \"" + p + "\" is not valid for file discovery"
            + " (expected a .json, .yml or .yaml file; '*' only in the last path element)");
      }
      List<Path> files = expand(p);
      if (files.isEmpty()) {
        throw new IllegalArgumentException(path + "::files: file \"" + p + "\" for file_sd in scrape job \"" + job
            + "\" does not exist");
      }
      for (Path f : files) {
        try {
          read(f);
        } catch (IOException e) {
          throw new IllegalArgumentException(path + "::files: checking SD file \"" + p + "\": " + e.getMessage());
        }
      }
    }
  }

  @Override
  public synchronized void start(Consumer<List<TargetGroup>> updates) {
    scan(updates, true);
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "prometheus-file-sd");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        boolean full = System.nanoTime() - lastFull >= refresh.toNanos();
        scan(updates, full);
      } catch (RuntimeException e) {
        log.warn("file_sd: refresh failed", e);
      }
    }, 1, 1, TimeUnit.SECONDS);
  }

  private synchronized void scan(Consumer<List<TargetGroup>> updates, boolean full) {
    if (full) {
      lastFull = System.nanoTime();
    }
    List<TargetGroup> changed = new ArrayList<>();
    Map<Path, Long> now = new LinkedHashMap<>();
    for (String p : patterns) {
      for (Path f : expand(p)) {
        try {
          now.put(f, Files.getLastModifiedTime(f).toMillis());
        } catch (IOException e) {
          log.debug("file_sd: {} vanished", f, e);
        }
      }
    }
    for (Map.Entry<Path, Long> e : now.entrySet()) {
      Path f = e.getKey();
      if (!full && e.getValue().equals(seen.get(f))) {
        continue;
      }
      try {
        List<TargetGroup> groups = read(f);
        changed.addAll(groups);
        int before = groupCounts.getOrDefault(f, 0);
        for (int i = groups.size(); i < before; i++) {
          changed.add(new TargetGroup(f + ":" + i, List.of(), Map.of()));
        }
        groupCounts.put(f, groups.size());
        seen.put(f, e.getValue());
      } catch (IOException ex) {
        log.warn("file_sd: cannot read {}; keeping its last targets: {}", f, ex.getMessage());
      }
    }
    for (Path gone : new ArrayList<>(seen.keySet())) {
      if (!now.containsKey(gone)) {
        for (int i = 0; i < groupCounts.getOrDefault(gone, 0); i++) {
          changed.add(new TargetGroup(gone + ":" + i, List.of(), Map.of()));
        }
        seen.remove(gone);
        groupCounts.remove(gone);
      }
    }
    if (!changed.isEmpty() || full) {
      updates.accept(changed);
    }
  }

  static List<TargetGroup> read(Path f) throws IOException {
    String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper = name.endsWith(".json") ? JSON : YAML;
    List<FileGroup> groups;
    try {
      groups = mapper.readValue(Files.readAllBytes(f), new TypeReference<List<FileGroup>>() {});
    } catch (JsonProcessingException e) {
      throw new IOException("error in unmarshaling " + (mapper == JSON ? "json" : "yaml") + " file extension: "
          + e.getOriginalMessage(), e);
    }
    if (groups == null) {
      groups = List.of();
    }
    List<TargetGroup> out = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      FileGroup g = groups.get(i);
      if (g == null) {
        throw new IOException("nil target group item found (index " + i + ")");
      }
      List<Map<String, String>> targets = new ArrayList<>();
      for (String t : g.targets == null ? List.<String>of() : g.targets) {
        targets.add(Map.of("__address__", t));
      }
      Map<String, String> labels = new LinkedHashMap<>(g.labels == null ? Map.of() : g.labels);
      labels.put("__meta_filepath", f.toString());
      out.add(new TargetGroup(f + ":" + i, targets, labels));
    }
    return out;
  }

  static List<Path> expand(String pattern) {
    Path p = Paths.get(pattern);
    String last = p.getFileName().toString();
    if (!last.contains("*")) {
      return Files.isRegularFile(p) ? List.of(p) : List.of();
    }
    Path dir = p.getParent() == null ? Paths.get(".") : p.getParent();
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, last)) {
      for (Path f : ds) {
        if (Files.isRegularFile(f)) {
          out.add(f);
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    out.sort(null);
    return out;
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  /** One group as written in the file. */
  static final class FileGroup {
    public List<String> targets;
    public Map<String, String> labels;
  }
}
