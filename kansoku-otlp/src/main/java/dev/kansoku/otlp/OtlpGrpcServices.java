package dev.kansoku.otlp;

import com.google.rpc.Code;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.model.OtlpRules;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import com.linecorp.armeria.common.grpc.GrpcExceptionHandlerFunction;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTLP/gRPC services, one per signal that has a pipeline (a signal without one answers
 * UNIMPLEMENTED). Each call runs on a blocking-task thread: the pipeline may block for backpressure,
 * and the reply is sent only after the pipeline accepted the data. Items the store would not keep
 * are dropped first and reported in {@code partial_success}.
 */
final class OtlpGrpcServices {
  private static final Logger log = LoggerFactory.getLogger(OtlpGrpcServices.class);

  private OtlpGrpcServices() {}

  static List<ServerServiceDefinition> create(String receiverId, Consumers consumers) {
    RateLimitedLog refusals = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
    List<ServerServiceDefinition> services = new ArrayList<>();
    consumers.get(Signal.TRACES).ifPresent(next -> services.add(service(TraceServiceGrpc.getExportMethod(),
        ExportTraceServiceRequest.parser(), (req, out) -> handle(receiverId, refusals, Signal.TRACES, next, req, out))));
    consumers.get(Signal.METRICS).ifPresent(next -> services.add(service(MetricsServiceGrpc.getExportMethod(),
        ExportMetricsServiceRequest.parser(),
        (req, out) -> handle(receiverId, refusals, Signal.METRICS, next, req, out))));
    consumers.get(Signal.LOGS).ifPresent(next -> services.add(service(LogsServiceGrpc.getExportMethod(),
        ExportLogsServiceRequest.parser(), (req, out) -> handle(receiverId, refusals, Signal.LOGS, next, req, out))));
    return services;
  }

  /**
   * The Export method with the request kept as bytes until the handler runs. Armeria decodes a
   * protobuf request on the event loop and hands the object graph to a blocking-task thread, which
   * then reads every span from another core's cache: the attributes processor's first pass over a
   * batch cost more than its whole rewrite. Parsed where it is processed, the batch is still in this
   * core's cache when the processors walk it.
   */
  private static <T, R> ServerServiceDefinition service(MethodDescriptor<T, R> export, Parser<T> parser,
      BiConsumer<T, StreamObserver<R>> handler) {
    MethodDescriptor<byte[], R> raw = export.toBuilder(RawBytes.INSTANCE, export.getResponseMarshaller()).build();
    return ServerServiceDefinition.builder(export.getServiceName())
        .addMethod(raw, ServerCalls.asyncUnaryCall((bytes, out) -> {
          T req;
          try {
            req = parser.parseFrom(bytes);
          } catch (InvalidProtocolBufferException e) {
            out.onError(invalidProtobuf(e).asRuntimeException());
            return;
          }
          handler.accept(req, out);
        }))
        .build();
  }

  /** A request message as its bytes; Armeria hands a marshaller that is not protobuf's an InputStream. */
  private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      // Armeria's stream knows its length: one array of that size, not readAllBytes's chunks and copy.
      try (InputStream in = stream) {
        byte[] known = in.readNBytes(in.available());
        byte[] rest = in.readAllBytes();
        if (rest.length == 0) {
          return known;
        }
        byte[] all = Arrays.copyOf(known, known.length + rest.length);
        System.arraycopy(rest, 0, all, known.length, rest.length);
        return all;
      } catch (IOException e) {
        throw Status.INTERNAL.withDescription("cannot read the request message").withCause(e).asRuntimeException();
      }
    }
  }

  private static Status invalidProtobuf(Throwable cause) {
    return Status.INVALID_ARGUMENT.withDescription("cannot parse the request as OTLP protobuf: " + cause.getMessage())
        .withCause(cause);
  }

  @SuppressWarnings("unchecked")
  private static <T, R> void handle(String receiverId, RateLimitedLog refusals, Signal<T> signal,
      DataConsumer<T> next, T req, StreamObserver<R> out) {
    R ok;
    try {
      OtlpChecks.validate(signal, req);
      OtlpRules.Filtered<T> kept = OtlpPartial.filter(signal, req);
      if (kept.rejected() == 0 || !OtlpPartial.nothingLeft(signal, kept.request())) {
        next.consume(kept.request());
      }
      ok = (R) OtlpPartial.response(signal, kept);
    } catch (ConsumeException e) {
      if (OtlpErrors.grpcCode(e) != Code.INVALID_ARGUMENT) {
        refusals.warn("otlp receiver {} (grpc {}): refused: {}", receiverId, signal.name(), e.getMessage());
      }
      out.onError(OtlpErrors.grpc(e));
      return;
    } catch (RuntimeException e) {
      log.error("otlp receiver {} (grpc {}): pipeline failed", receiverId, signal.name(), e);
      out.onError(OtlpErrors.grpc(ConsumeException.permanent("internal error: " + e, e)));
      return;
    }
    out.onNext(ok);
    out.onCompleted();
  }

  /**
   * Armeria answers a message that is not valid protobuf with INTERNAL ("Invalid protobuf byte
   * sequence"); the OTLP specification and the collector answer INVALID_ARGUMENT, which tells the
   * sender not to retry.
   */
  static GrpcExceptionHandlerFunction exceptionHandler() {
    RateLimitedLog unexpected = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
    return (ctx, status, cause, metadata) -> {
      for (Throwable t = cause; t != null; t = t.getCause()) {
        if (t instanceof InvalidProtocolBufferException) {
          return invalidProtobuf(t).withCause(cause);
        }
      }
      if (status.getCode() == Status.Code.UNKNOWN || status.getCode() == Status.Code.INTERNAL) {
        // What nothing of ours answered is said, so an UNKNOWN a sender sees can be traced here.
        unexpected.warn("otlp receiver (grpc): unexpected failure answering {}: {}", ctx.path(), cause.toString(),
            cause);
      }
      return null; // Armeria's own mapping
    };
  }
}
