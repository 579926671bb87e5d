package dev.kansoku.otlp;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import dev.kansoku.pipeline.Authenticator;

/** Answers 401 to a request the authenticator rejects; CORS preflights pass (browsers send no credentials). */
final class HttpAuthDecorator {
  private HttpAuthDecorator() {}

  static DecoratingHttpServiceFunction of(Authenticator authenticator) {
    return (delegate, ctx, req) -> {
      if (req.method() == HttpMethod.OPTIONS) {
        return delegate.serve(ctx, req);
      }
      String problem = authenticator.authenticate(name -> req.headers().get(name));
      if (problem == null) {
        return delegate.serve(ctx, req);
      }
      return HttpResponse.of(ResponseHeaders.builder(HttpStatus.UNAUTHORIZED)
          .contentType(MediaType.PLAIN_TEXT_UTF_8)
          .add(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer")
          .build(), HttpData.ofUtf8(problem));
    };
  }
}
