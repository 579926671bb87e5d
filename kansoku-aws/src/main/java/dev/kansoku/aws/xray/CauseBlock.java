package dev.kansoku.aws.xray;

import static dev.kansoku.aws.xray.Attrs.str;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javax.annotation.Nullable;

/**
 * {@code cause}, {@code fault}, {@code error} and {@code throttle}: exceptions from "exception"
 * events (stack traces parsed per SDK language), AWS SDK "HTTP request failure" events, or else the
 * status message; the flags from the HTTP status code, or from the span status when there is none.
 */
final class CauseBlock {
  private static final String EXCEPTION_EVENT = "exception";
  private static final String AWS_HTTP_FAILURE_EVENT = "HTTP request failure";

  private CauseBlock() {}

  record Result(boolean error, boolean fault, boolean throttle, Map<String, AnyValue> filtered,
      @Nullable Segment.Cause cause) {}

  static Result make(Span span, Map<String, AnyValue> spanAttributes, Map<String, AnyValue> attributes,
      Map<String, AnyValue> resource, Supplier<String> ids) {
    Map<String, AnyValue> filtered = attributes;
    boolean awsSdk = SpansToSegments.isAwsSdkSpan(spanAttributes);
    boolean hasExceptions = false;
    for (Span.Event event : span.getEventsList()) {
      if (event.getName().equals(EXCEPTION_EVENT) || (awsSdk && event.getName().equals(AWS_HTTP_FAILURE_EVENT))) {
        hasExceptions = true;
        break;
      }
    }
    Segment.Cause cause = null;
    boolean statusError = span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
    if (hasExceptions) {
      String language = str(resource.get("telemetry.sdk.language"));
      boolean remote = span.getKind() == Span.SpanKind.SPAN_KIND_CLIENT
          || span.getKind() == Span.SpanKind.SPAN_KIND_PRODUCER;
      cause = new Segment.Cause();
      for (Span.Event event : span.getEventsList()) {
        if (event.getName().equals(EXCEPTION_EVENT)) {
          Map<String, AnyValue> ea = Attrs.of(event.getAttributesList());
          cause.exceptions.addAll(StackTraces.parse(str(ea.get("exception.type")), str(ea.get("exception.message")),
              str(ea.get("exception.stacktrace")), remote, language, ids));
        } else if (awsSdk && event.getName().equals(AWS_HTTP_FAILURE_EVENT)) {
          Map<String, AnyValue> ea = Attrs.of(event.getAttributesList());
          AnyValue code = ea.get("http.response.status_code");
          AnyValue message = ea.get("aws.http.error_message");
          if (code != null && message != null) {
            long micros = event.getTimeUnixNano() / 1000;
            Segment.Exception e = new Segment.Exception();
            e.id = ids.get();
            e.type = "aws.http.error.event";
            e.remote = true;
            e.message = Attrs.asString(code) + "@" + String.format(Locale.ROOT, "%.6f", micros / 1_000_000.0) + "@" + str(message);
            cause.exceptions.add(e);
          }
        }
      }
    } else if (statusError) {
      // No exception events: the status message (or http.status_text) is the cause, as OpenCensus had it.
      String message = span.getStatus().getMessage();
      filtered = new LinkedHashMap<>();
      for (Map.Entry<String, AnyValue> e : attributes.entrySet()) {
        if (e.getKey().equals("http.status_text")) {
          if (message.isEmpty()) {
            message = str(e.getValue());
          }
        } else {
          filtered.put(e.getKey(), e.getValue());
        }
      }
      if (!message.isEmpty()) {
        cause = new Segment.Cause();
        Segment.Exception e = new Segment.Exception();
        e.id = ids.get();
        e.type = "";
        e.message = message;
        cause.exceptions.add(e);
      }
    }

    // The status code decides for HTTP spans: some instrumentations set it but not the span status.
    AnyValue status = spanAttributes.get("http.status_code");
    if (status == null) {
      status = spanAttributes.get("http.response.status_code");
    }
    long code = Attrs.integer(status);
    boolean error = false;
    boolean fault = false;
    boolean throttle = false;
    if (status == null || code < 400 || code > 599) {
      fault = statusError;
    } else if (code <= 499) {
      error = true;
      throttle = code == 429;
    } else {
      fault = true;
    }
    return new Result(error, fault, throttle, filtered, cause);
  }
}
