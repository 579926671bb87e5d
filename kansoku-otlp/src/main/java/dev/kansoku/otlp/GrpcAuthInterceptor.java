package dev.kansoku.otlp;

import dev.kansoku.pipeline.Authenticator;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/** Answers UNAUTHENTICATED, before the message is read, to a call the authenticator rejects. */
final class GrpcAuthInterceptor implements ServerInterceptor {
  private final Authenticator authenticator;

  GrpcAuthInterceptor(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String problem = authenticator.authenticate(
        name -> headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER)));
    if (problem != null) {
      call.close(Status.UNAUTHENTICATED.withDescription(problem), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}
