package dev.kansoku.contrib.filterprocessor;

import static dev.kansoku.contrib.attraction.TestAttrs.attrs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.contrib.TestService;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream's legacy log cases (logs_test.go: resource and record attributes, severity texts and numbers, bodies) and OTTL. */
class FilterLogsTest {
  /** One resource: its log names and, in turn, resource attributes, record attributes, severity text, body, number. */
  private record In(List<String> names, Object[] resource, Object[] record, String severityText, String body,
      int severityNumber) {
    static In res(List<String> names, Object... resource) {
      return new In(names, resource, new Object[0], "", "", 0);
    }
  }

  private static final List<In> TWO_RESOURCES = List.of(In.res(List.of("log1", "log2"), "attr1", "attr1/val1"),
      In.res(List.of("log3", "log4"), "attr1", "attr1/val2"));
  private static final List<In> FOUR_RESOURCES = List.of(In.res(List.of("log1"), "attr", "attr/val1"),
      In.res(List.of("log2"), "attr", "attr/val2"), In.res(List.of("log3"), "attr", "attr/val3"),
      In.res(List.of("log4"), "attr", "attr/val4"));
  private static final List<In> RECORD_ATTRS = List.of(
      new In(List.of("log1", "log2"), new Object[] {"attr1", "attr1/val1"}, new Object[] {"rec", "rec/val1"}, "", "", 0),
      new In(List.of("log3", "log4"), new Object[] {"attr1", "attr1/val2"}, new Object[] {"rec", "rec/val2"}, "", "", 0));
  private static final List<In> THREE_RECORD_ATTRS = List.of(RECORD_ATTRS.get(0), RECORD_ATTRS.get(1),
      new In(List.of("log5"), new Object[] {"attr1", "attr1/val5"}, new Object[] {"rec", "rec/val5"}, "", "", 0));
  private static final List<In> SEVERITY_TEXTS = List.of(text("log1", "DEBUG"), text("log2", "DEBUG2"),
      text("log3", "INFO"), text("log4", "WARN"));
  private static final List<In> BODIES = List.of(body("log1", "This is a log body"),
      body("log2", "This is also a log body"), body("log3", "test1"), body("log4", "test2"));
  private static final List<In> SEVERITY_NUMBERS = List.of(number("log1", 5), number("log2", 9), number("log3", 17),
      number("log4", 0));

  private static In text(String name, String severity) {
    return new In(List.of(name), new Object[0], new Object[0], severity, "", 0);
  }

  private static In body(String name, String body) {
    return new In(List.of(name), new Object[0], new Object[0], "", body, 0);
  }

  private static In number(String name, int severity) {
    return new In(List.of(name), new Object[0], new Object[0], "", "", severity);
  }

  private static ExportLogsServiceRequest logs(List<In> in) {
    ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
    for (In r : in) {
      ScopeLogs.Builder sl = ScopeLogs.newBuilder();
      for (String name : r.names) {
        sl.addLogRecords(LogRecord.newBuilder().addAllAttributes(attrs(r.record)).addAllAttributes(attrs("name", name))
            .setSeverityText(r.severityText).setBody(AnyValue.newBuilder().setStringValue(r.body))
            .setSeverityNumberValue(r.severityNumber));
      }
      b.addResourceLogs(ResourceLogs.newBuilder().setResource(Resource.newBuilder().addAllAttributes(attrs(r.resource)))
          .addScopeLogs(sl));
    }
    return b.build();
  }

  private static void check(String filter, List<In> in, List<List<String>> expected) throws Exception {
    try (TestService s = FilterPipelines.start("logs", filter)) {
      List<List<String>> names = new ArrayList<>();
      for (ExportLogsServiceRequest r : s.send(Signal.LOGS, logs(in))) {
        for (ResourceLogs rl : r.getResourceLogsList()) {
          names.add(rl.getScopeLogs(0).getLogRecordsList().stream()
              .map(lr -> lr.getAttributes(lr.getAttributesCount() - 1).getValue().getStringValue()).toList());
        }
      }
      assertThat(names).as(filter).isEqualTo(expected);
    }
  }

  @Test
  void legacyIncludeExclude_asUpstream() throws Exception {
    List<In> names = List.of(In.res(List.of("full_name_match", "random")));
    List<List<String>> all = List.of(List.of("full_name_match", "random"));
    check("logs: {include: {match_type: strict, resource_attributes: []}}", names, all);
    check("logs: {exclude: {match_type: strict, resource_attributes: []}}", names, all);
    check("logs: {include: {match_type: strict, resource_attributes: []},"
        + " exclude: {match_type: strict, resource_attributes: []}}", names, all);
    check("logs: {include: {match_type: strict, resource_attributes: [{key: attr1, value: attr1/val2}]}}",
        TWO_RESOURCES, List.of(List.of("log3", "log4")));
    check("logs: {exclude: {match_type: strict, resource_attributes: [{key: attr1, value: attr1/val1}]}}",
        TWO_RESOURCES, List.of(List.of("log3", "log4")));
    check("logs: {include: {match_type: strict, resource_attributes: [{key: attr1, value: attr1/val2}]},"
        + " exclude: {match_type: strict, resource_attributes: [{key: attr1, value: attr1/val1}]}}",
        TWO_RESOURCES, List.of(List.of("log3", "log4")));
    check("logs: {include: {match_type: regexp, resource_attributes: [{key: attr, value: attr/val2}]}}",
        FOUR_RESOURCES, List.of(List.of("log2")));
    check("logs: {include: {match_type: regexp, resource_attributes: [{key: attr, value: \"attr/val(2|3)\"}]}}",
        FOUR_RESOURCES, List.of(List.of("log2"), List.of("log3")));
    check("logs: {include: {match_type: regexp, resource_attributes: [{key: attr, value: \"attr/val[234]\"}]}}",
        FOUR_RESOURCES, List.of(List.of("log2"), List.of("log3"), List.of("log4")));
    check("logs: {include: {match_type: regexp, resource_attributes: [{key: attr, value: attr/val.*}]}}",
        FOUR_RESOURCES, List.of(List.of("log1"), List.of("log2"), List.of("log3"), List.of("log4")));
    check("logs: {exclude: {match_type: regexp, resource_attributes: [{key: attr, value: \"attr/val[23]\"}]}}",
        FOUR_RESOURCES, List.of(List.of("log1"), List.of("log4")));
    check("logs: {include: {match_type: regexp, record_attributes: [{key: rec, value: \"rec/val[1]\"}]}}",
        RECORD_ATTRS, List.of(List.of("log1", "log2")));
    check("logs: {include: {match_type: regexp, record_attributes: [{key: rec, value: \"rec/val[^2]\"}]}}",
        RECORD_ATTRS, List.of(List.of("log1", "log2")));
    check("logs: {include: {match_type: regexp, record_attributes: [{key: rec, value: \"rec/val[1|2]\"}]}}",
        RECORD_ATTRS, List.of(List.of("log1", "log2"), List.of("log3", "log4")));
    check("logs: {include: {match_type: regexp, record_attributes: [{key: rec, value: \"rec/val[1|5]\"}]}}",
        THREE_RECORD_ATTRS, List.of(List.of("log1", "log2"), List.of("log5")));
  }

  @Test
  void legacySeverityAndBodies_asUpstream() throws Exception {
    check("logs: {include: {match_type: strict, severity_texts: [INFO, DEBUG2]}}", SEVERITY_TEXTS,
        List.of(List.of("log2"), List.of("log3")));
    check("logs: {include: {match_type: regexp, severity_texts: [\"DEBUG[1-4]?\"]}}", SEVERITY_TEXTS,
        List.of(List.of("log1"), List.of("log2")));
    check("logs: {exclude: {match_type: strict, severity_texts: [INFO, DEBUG]}}", SEVERITY_TEXTS,
        List.of(List.of("log2"), List.of("log4")));
    check("logs: {exclude: {match_type: regexp, severity_texts: [\"^[DI]\"]}}", SEVERITY_TEXTS, List.of(List.of("log4")));
    check("logs: {include: {match_type: strict, bodies: [test1, test2, no match]}}", BODIES,
        List.of(List.of("log3"), List.of("log4")));
    check("logs: {include: {match_type: regexp, bodies: [^This]}}", BODIES, List.of(List.of("log1"), List.of("log2")));
    check("logs: {exclude: {match_type: strict, bodies: [test1, test2, no match]}}", BODIES,
        List.of(List.of("log1"), List.of("log2")));
    check("logs: {exclude: {match_type: regexp, bodies: [^This]}}", BODIES, List.of(List.of("log3"), List.of("log4")));
    check("logs: {include: {match_type: regexp, severity_number: {min: INFO}}}", SEVERITY_NUMBERS,
        List.of(List.of("log2"), List.of("log3")));
    check("logs: {include: {match_type: regexp, severity_number: {min: debug}}}", SEVERITY_NUMBERS,
        List.of(List.of("log1"), List.of("log2"), List.of("log3")));
    check("logs: {include: {match_type: regexp, severity_number: {min: FATAL, match_undefined: true}}}",
        SEVERITY_NUMBERS, List.of(List.of("log4")));
    check("logs: {exclude: {match_type: regexp, severity_number: {min: INFO}}}", SEVERITY_NUMBERS,
        List.of(List.of("log1"), List.of("log4")));
    check("logs: {exclude: {match_type: regexp, severity_number: {min: TRACE}}}", SEVERITY_NUMBERS,
        List.of(List.of("log4")));
    check("logs: {exclude: {match_type: regexp, severity_number: {min: \"9\", match_undefined: true}}}",
        SEVERITY_NUMBERS, List.of(List.of("log1")));
  }

  @Test
  void ottlLogRecordAndResourceConditions() throws Exception {
    check("logs: {log_record: ['severity_number < SEVERITY_NUMBER_INFO']}", SEVERITY_NUMBERS,
        List.of(List.of("log2"), List.of("log3")));
    check("logs: {log_record: ['IsMatch(body, \"^This\") or severity_text == \"WARN\"']}", BODIES,
        List.of(List.of("log3"), List.of("log4")));
    check("logs: {log_record: ['attributes[\"name\"] != \"log3\" and not IsMatch(body, \"also\")']}", BODIES,
        List.of(List.of("log2"), List.of("log3")));
    check("logs: {resource: ['attributes[\"attr1\"] == \"attr1/val1\"']}", TWO_RESOURCES, List.of(List.of("log3", "log4")));
    check("logs: {log_record: ['body != nil']}", BODIES, List.of());
  }
}
