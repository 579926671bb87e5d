package dev.kansoku.aws.xray;

import static dev.kansoku.aws.xray.Attrs.str;
import static dev.kansoku.aws.xray.Segment.nonEmpty;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;

/** The {@code sql} block, for spans of SQL databases only (by {@code db.system}). */
final class SqlBlock {
  private static final Set<String> SQL_SYSTEMS = Set.of("db2", "derby", "hive", "mariadb", "mssql", "mysql",
      "oracle", "postgresql", "sqlite", "teradata", "other_sql");

  private SqlBlock() {}

  record Result(Map<String, AnyValue> filtered, @Nullable Segment.Sql sql) {}

  static Result make(Span span, Map<String, AnyValue> attributes) {
    String system = str(attributes.get("db.system"));
    if (!SQL_SYSTEMS.contains(system)) {
      // Not SQL: the db.* attributes stay and end up in metadata.
      return new Result(attributes, null);
    }
    Map<String, AnyValue> filtered = new LinkedHashMap<>();
    String connection = "";
    String instance = "";
    String statement = "";
    String user = "";
    for (Map.Entry<String, AnyValue> e : attributes.entrySet()) {
      switch (e.getKey()) {
        case "db.connection_string" -> connection = str(e.getValue());
        case "db.system" -> { }
        case "db.name" -> instance = str(e.getValue());
        case "db.statement" -> statement = str(e.getValue());
        case "db.user" -> user = str(e.getValue());
        default -> filtered.put(e.getKey(), e.getValue());
      }
    }
    // The collector uses the span name as url: the connection string there was found not useful.
    String url = span.getName();
    if (connection.isEmpty()) {
      connection = "localhost";
    }
    connection = connection + "/" + instance;
    return new Result(filtered, new Segment.Sql(nonEmpty(connection), nonEmpty(url), nonEmpty(statement),
        nonEmpty(system), nonEmpty(user)));
  }
}
