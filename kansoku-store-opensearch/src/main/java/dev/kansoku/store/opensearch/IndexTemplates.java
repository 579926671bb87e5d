package dev.kansoku.store.opensearch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The composable index templates, one per signal and one for the log group catalog, put on start (PUT replaces, so this is
 * idempotent and a new version of Kansoku updates the mapping of indices created from then on).
 *
 * <p>Mappings are {@code strict}: a document with a field not listed here is refused, so the mapping
 * never grows with the data. Attributes are two keyword arrays ({@code attr_keys}, {@code attrs} of
 * {@code key=value}), not one field per key: attribute keys are unbounded (every SDK and user adds
 * its own), and one field per key would grow the mapping towards the field limit. Only log records
 * carry them: trace search judges decoded traces and pushes no attribute condition down, so indexing
 * some fifty terms per span would cost most of a span's indexing for nothing. The whole record
 * is in {@code r} ({@code binary}: stored in {@code _source}, not indexed), apart from the resource of
 * spans and log records, which {@code res} names (see {@link ResourceIndex}); the attribute arrays are
 * left out of {@code _source} because {@code r} already holds them. Log bodies are a {@code text}
 * field split into runs of letters, digits and underscores and lower-cased, which is exactly the word
 * boundary {@link dev.kansoku.store.TextQuery} uses, so a phrase query finds every body the text query
 * accepts. Immutable.
 */
final class IndexTemplates {
  /**
   * What separates words: anything but a letter, a decimal digit or an underscore, judged per UTF-16
   * unit as {@code TextQuery} does (so characters outside the BMP separate words too).
   */
  static final String WORD_SEPARATORS = "(?:[^\\p{L}\\p{Nd}_]|[\\x{10000}-\\x{10FFFF}])+";

  private IndexTemplates() {}

  static Map<String, Object> spans(IndexNames names, Settings settings) {
    return template(names.pattern(), settings, false, ordered(
        "trace_id", keyword(), "span_id", keyword(), "parent_id", keyword(), "service", keyword(),
        "name", keyword(), "kind", keyword(), "start", type("long"), "duration", type("long"),
        "status", keyword(), "http_status", type("integer"), "res", filterOnly(), "r", type("binary")));
  }

  static Map<String, Object> logs(IndexNames names, Settings settings) {
    return template(names.pattern(), settings, true, ordered(
        "time", type("long"), "seq", type("long"), "group", keyword(), "stream", keyword(),
        "service", keyword(), "trace_id", keyword(), "span_id", keyword(),
        "body", Map.of("type", "text", "analyzer", "kansoku_words", "norms", false),
        "attr_keys", filterOnly(), "attrs", filterOnly(), "res", filterOnly(), "r", type("binary")));
  }

  /** One document per resource and day, found by {@code _id}: nothing in it is indexed. */
  static Map<String, Object> resources(IndexNames names, Settings settings) {
    return template(names.pattern(), settings, false, ordered("r", type("binary")));
  }

  static Map<String, Object> metrics(IndexNames names, Settings settings) {
    return template(names.pattern(), settings, false, ordered(
        "namespace", keyword(), "name", keyword(), "time", type("long"), "seq", type("long"), "dim_keys", keyword(),
        "r", type("binary")));
  }

  /**
   * The one log group catalog index ({@link LogGroupIndex}): the name (sorted on, so no {@code
   * ignore_above}), whether the group exists, and the entry, stored but not indexed. One shard: it
   * holds one small document per log group name.
   */
  static Map<String, Object> logGroups(String index, Settings settings) {
    return template(index, new Settings(1, settings.replicas(), settings.refreshInterval(), settings.codec()), false,
        ordered("name", type("keyword"), "live", type("boolean"), "entry", Map.of("type", "object", "enabled", false)));
  }

  /**
   * Index settings from the configuration; {@code refreshInterval} bounds how long a wait_for write
   * waits; {@code codec} is OpenSearch's stored-fields compression (default: LZ4, or best_compression).
   */
  record Settings(int shards, int replicas, java.time.Duration refreshInterval, String codec) {}

  private static Map<String, Object> template(String pattern, Settings s, boolean words,
      Map<String, Object> properties) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("number_of_shards", s.shards());
    settings.put("number_of_replicas", s.replicas());
    settings.put("refresh_interval", s.refreshInterval().toMillis() + "ms");
    settings.put("codec", s.codec());
    if (words) {
      settings.put("analysis", Map.of(
          "tokenizer", Map.of("kansoku_words", Map.of("type", "pattern", "pattern", WORD_SEPARATORS)),
          "analyzer", Map.of("kansoku_words", Map.of("type", "custom", "tokenizer", "kansoku_words",
              "filter", List.of("lowercase")))));
    }
    Map<String, Object> mappings = new LinkedHashMap<>();
    mappings.put("dynamic", "strict");
    mappings.put("_source", Map.of("excludes", List.of("attr_keys", "attrs")));
    mappings.put("properties", properties);
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("index_patterns", List.of(pattern));
    t.put("template", Map.of("settings", Map.of("index", settings), "mappings", mappings));
    t.put("_meta", Map.of("created_by", "kansoku"));
    return t;
  }

  private static Map<String, Object> keyword() {
    return Map.of("type", "keyword", "ignore_above", Documents.MAX_KEYWORD);
  }

  /** A keyword only ever matched by term queries: no doc values (nothing sorts or aggregates on it). */
  private static Map<String, Object> filterOnly() {
    return Map.of("type", "keyword", "ignore_above", Documents.MAX_KEYWORD, "doc_values", false);
  }

  private static Map<String, Object> type(String type) {
    return Map.of("type", type);
  }

  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
