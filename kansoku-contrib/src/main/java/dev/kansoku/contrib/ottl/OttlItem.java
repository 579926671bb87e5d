package dev.kansoku.contrib.ottl;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import javax.annotation.Nullable;

/**
 * What one condition is evaluated against: the item of its context and the items that contain it
 * (OTTL's transform context). Fields a context does not have are null; a condition compiled for a
 * context reads only the fields that context sets.
 *
 * @param point a metric data point of any type (number, histogram, exponential histogram, summary)
 */
public record OttlItem(Resource resource, @Nullable InstrumentationScope scope, @Nullable Span span,
    @Nullable Span.Event event, @Nullable Metric metric, @Nullable Object point, @Nullable LogRecord log) {

  public static OttlItem resource(Resource resource) {
    return new OttlItem(resource, null, null, null, null, null, null);
  }

  public static OttlItem span(Resource resource, InstrumentationScope scope, Span span) {
    return new OttlItem(resource, scope, span, null, null, null, null);
  }

  public static OttlItem spanEvent(Resource resource, InstrumentationScope scope, Span span, Span.Event event) {
    return new OttlItem(resource, scope, span, event, null, null, null);
  }

  public static OttlItem metric(Resource resource, InstrumentationScope scope, Metric metric) {
    return new OttlItem(resource, scope, null, null, metric, null, null);
  }

  public static OttlItem dataPoint(Resource resource, InstrumentationScope scope, Metric metric, Object point) {
    return new OttlItem(resource, scope, null, null, metric, point, null);
  }

  public static OttlItem log(Resource resource, InstrumentationScope scope, LogRecord log) {
    return new OttlItem(resource, scope, null, null, null, null, log);
  }
}
