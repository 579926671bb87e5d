package dev.kansoku.awsapi.aws;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.kansoku.pipeline.Admission;
import dev.kansoku.pipeline.ConsumeException;
import java.util.function.Function;

/**
 * The memory_limiter's admission for an AWS write operation, asked as the OTLP receiver asks it:
 * before the body is read, with the length the request declares, and again once the body is in
 * memory for what it turned out to hold beyond that (a gzip body reaches the service decoded and
 * without a length, as does a chunked one; such a body is buffered up to the server's request
 * limit before it is charged). The permit is held until the response is complete.
 */
public final class WriteAdmission {
  /**
   * Heap per body byte while a write is in flight: the body, its JSON or CBOR tree, the OTLP request
   * built from it, and the store's records and WAL frame that the kansoku exporter builds before it
   * answers. An estimate on the high side, as the OTLP receiver's for protobuf.
   */
  static final long HEAP_PER_BODY_BYTE = 6;

  private WriteAdmission() {}

  /** The heap a write whose body is {@code bodyBytes} long takes while it is in flight. */
  public static long heap(long bodyBytes) {
    return bodyBytes * HEAP_PER_BODY_BYTE;
  }

  /**
   * Reads the body only once {@code admission} admitted it, then answers with {@code handler} on a
   * blocking thread; a refusal is answered with {@code refused}, unread.
   */
  public static HttpResponse serve(ServiceRequestContext ctx, HttpRequest req, Admission admission,
      Function<ConsumeException, HttpResponse> refused, Function<AggregatedHttpRequest, HttpResponse> handler) {
    long declared = Math.max(0, req.headers().contentLength());
    Admission.Permit permit;
    try {
      permit = admission.admit(heap(declared));
    } catch (ConsumeException e) {
      req.abort();
      return refused.apply(e);
    }
    ctx.log().whenComplete().thenRun(permit::close);
    return HttpResponse.of(req.aggregate().thenApplyAsync(body -> {
      long more = body.content().length() - declared;
      if (more > 0) {
        try {
          permit.grow(heap(more));
        } catch (ConsumeException e) {
          return refused.apply(e);
        }
      }
      return handler.apply(body);
    }, ctx.blockingTaskExecutor()));
  }
}
