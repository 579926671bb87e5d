package dev.kansoku.store.opensearch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kansoku.model.LogRecord;
import dev.kansoku.store.AttributeCondition;
import dev.kansoku.store.LogCursor;
import dev.kansoku.store.LogEntry;
import dev.kansoku.store.LogPage;
import dev.kansoku.store.LogQuery;
import dev.kansoku.store.TextQuery;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Log records: writes, search with page tokens (the logs of a trace through the {@code trace_id}
 * field), and the group/stream names.
 *
 * <p>A search pushes down what OpenSearch can decide without ever excluding a record the query
 * accepts (time, group, stream, service, trace and span ids, text terms as phrases over the word
 * field, attribute existence and plain-text equality), reads candidates in (time, sequence) order
 * and lets {@link LogQuery#matches} have the final word. A page reads at most {@code maxScanPerPage}
 * candidates; a page cut there carries a token after the last record read, so the caller continues
 * where the scan stopped, as CloudWatch's FilterLogEvents does. Thread-safe.
 */
final class LogIndex {
  private static final List<String> RECORD = List.of("r", "res", "time", "seq");

  private final IndexNames names;
  private final Search search;
  private final BulkWriter bulk;
  private final ResourceIndex resources;
  private final int maxScanPerPage;

  LogIndex(IndexNames names, Search search, BulkWriter bulk, ResourceIndex resources, int maxScanPerPage) {
    this.names = names;
    this.search = search;
    this.bulk = bulk;
    this.resources = resources;
    this.maxScanPerPage = maxScanPerPage;
  }

  void write(List<LogRecord> batch) {
    requireNonNull(batch, "batch");
    List<BulkWriter.Item> records = new ArrayList<>(batch.size());
    ResourceIndex.Batch needed = resources.batch();
    ByteArrayOutputStream buf = new ByteArrayOutputStream(1024);
    for (LogRecord r : batch) {
      String resourceId = needed.add(r.timeNanos(), r.resourceAttributes());
      byte[] encoded = RecordCodec.encode(r);
      String id = Documents.logId(encoded, resourceId);
      buf.reset();
      try (JsonGenerator g = OpenSearchClient.JSON.getFactory().createGenerator(buf)) {
        Documents.log(g, r, id, encoded, resourceId);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      records.add(new BulkWriter.Item(names.forTime(r.timeNanos()), id, buf.toByteArray()));
    }
    List<BulkWriter.Item> items = new ArrayList<>(needed.items());
    items.addAll(records);
    bulk.write("log records", items);
    needed.acknowledged();
  }

  LogPage search(LogQuery q) {
    requireNonNull(q, "query");
    LogCursor cursor = q.pageToken() == null ? null : LogCursor.decode(q.pageToken());
    boolean newestFirst = q.order() == LogQuery.Order.NEWEST_FIRST;
    List<LogEntry> page = new ArrayList<>();
    long[] last = new long[2];
    boolean[] more = {false};
    int[] scanned = {0};
    search.scan(names.pattern(), query(q), List.of(new Search.Sort("time", newestFirst),
            new Search.Sort("seq", newestFirst)), Math.min(1000, Math.max(q.limit() + 1, 100)),
        cursor == null ? null : List.of(cursor.timeNanos(), cursor.sequence()), RECORD,
        hits -> resources.prefetch(names, hits), hit -> {
          JsonNode src = hit.path("_source");
          LogRecord r = RecordCodec.decodeLog(Documents.record(src), resources.resource(names, hit));
          if (q.matches(r)) {
            if (page.size() == q.limit()) {
              more[0] = true;
              return false;
            }
            page.add(new LogEntry(hit.path("_id").asText(), r));
          }
          last[0] = src.path("time").asLong();
          last[1] = src.path("seq").asLong();
          if (++scanned[0] >= maxScanPerPage) {
            more[0] = true;
            return false;
          }
          return true;
        });
    return new LogPage(page, more[0] ? new LogCursor(last[0], last[1]).encode() : null);
  }

  private static ObjectNode query(LogQuery q) {
    List<ObjectNode> f = new ArrayList<>();
    f.add(Search.range("time", q.startNanos(), q.endNanos()));
    if (!q.logGroups().isEmpty()) {
      f.add(Search.terms("group", q.logGroups()));
    }
    if (!q.logStreams().isEmpty()) {
      f.add(Search.terms("stream", q.logStreams()));
    }
    if (q.logStreamPrefix() != null && !q.logStreamPrefix().isEmpty()) {
      ObjectNode p = Search.obj();
      p.putObject("prefix").put("stream", q.logStreamPrefix());
      f.add(p);
    }
    if (q.serviceName() != null) {
      f.add(Search.term("service", q.serviceName()));
    }
    if (q.traceId() != null) {
      f.add(Search.term("trace_id", q.traceId().hex()));
    }
    if (q.spanId() != null) {
      f.add(Search.term("span_id", q.spanId().hex()));
    }
    text(q.text(), f);
    for (AttributeCondition c : q.fields()) {
      ObjectNode pushed = attribute(c);
      if (pushed != null) {
        f.add(pushed);
      }
    }
    return Search.filter(f);
  }

  /**
   * Every {@code all} needle as a phrase, one of the {@code any} needles as phrases. A needle without
   * a word character has no tokens and is left to the final check, as are {@code none} needles (a
   * phrase hit is necessary for a match, not sufficient, so it cannot exclude).
   */
  private static void text(TextQuery t, List<ObjectNode> f) {
    for (String needle : t.all()) {
      if (hasWord(needle)) {
        f.add(phrase(needle));
      }
    }
    if (!t.any().isEmpty() && t.any().stream().allMatch(LogIndex::hasWord)) {
      ObjectNode any = Search.obj();
      ObjectNode bool = any.putObject("bool");
      t.any().forEach(n -> bool.withArray("should").add(phrase(n)));
      bool.put("minimum_should_match", 1);
      f.add(any);
    }
  }

  private static ObjectNode phrase(String needle) {
    ObjectNode p = Search.obj();
    p.putObject("match_phrase").put("body", needle);
    return p;
  }

  private static boolean hasWord(String s) {
    return s.chars().anyMatch(c -> Character.isLetterOrDigit(c) || c == '_');
  }

  /**
   * The condition as a necessary filter, or null when only the final check can decide: EXISTS by key;
   * EQUALS to text that is not a number (numbers compare by value, "200" = 200.0) by {@code key=value}.
   */
  @Nullable
  static ObjectNode attribute(AttributeCondition c) {
    if (c.op() == AttributeCondition.Op.EXISTS) {
      return c.key().length() <= Documents.MAX_KEYWORD ? Search.term("attr_keys", c.key()) : null;
    }
    if (c.op() == AttributeCondition.Op.EQUALS && c.value() instanceof String s && !numberLike(s)) {
      String kv = c.key() + "=" + s;
      return kv.length() <= Documents.MAX_KEYWORD ? Search.term("attrs", kv) : null;
    }
    return null;
  }

  private static boolean numberLike(String s) {
    return !s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '-');
  }

  List<String> groups() {
    return SpanIndex.sorted(search.distinct(names.pattern(), Search.filter(List.of()), "group"));
  }

  List<String> streams(String group) {
    requireNonNull(group, "logGroup");
    return SpanIndex.sorted(search.distinct(names.pattern(), Search.filter(List.of(Search.term("group", group))),
        "stream"));
  }
}
