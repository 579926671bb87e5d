package dev.kansoku.awsapi;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.server.ServerBuilder;
import dev.kansoku.api.EndpointApi;
import dev.kansoku.aws.xrayreceiver.LocalSampling;
import dev.kansoku.awsapi.aws.AwsSignatureCheck;
import dev.kansoku.awsapi.aws.AwsTargetRouter;
import dev.kansoku.awsapi.logs.LogsApi;
import dev.kansoku.awsapi.metrics.MetricsApi;
import dev.kansoku.awsapi.xray.XrayApi;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.store.Storage;
import java.time.Clock;

/**
 * The AWS-compatible endpoints on the {@code kansoku} extension's port: X-Ray (restJson paths),
 * CloudWatch Logs (awsJson1.1) and CloudWatch (awsQuery, awsJson1.0, rpc-v2-cbor), the JSON ones
 * told apart by {@code X-Amz-Target}; with {@code aws_auth}, every request must be SigV4-signed.
 */
public final class AwsEndpoints implements EndpointApi {
  @Override
  public Served bind(ServerBuilder sb, Storage storage, Settings settings) {
    WriteDoors doors = new WriteDoors();
    XrayApi xray = XrayApi.bind(sb, storage, doors);
    AwsTargetRouter router = new AwsTargetRouter();
    AutoCloseable logs = LogsApi.register(router, storage, doors);
    MetricsApi.register(router, sb, storage, doors);
    router.bind(sb);
    if (settings.awsAuth() != null) {
      sb.decorator(new AwsSignatureCheck(settings.awsAuth().accessKeyId(), settings.awsAuth().secretAccessKey(),
          XrayApi.PATHS, Clock.systemUTC()));
    }
    return new Bound(xray, logs, doors);
  }

  /** The endpoints of one extension; answers the awsxray receiver's sampling port as X-Ray's paths do. */
  private record Bound(XrayApi xray, AutoCloseable logs, WriteDoors doors) implements Served, LocalSampling, AwsWrites {
    @Override
    public Attachment attach(String receiverId, Consumers next) {
      return doors.attach(receiverId, next);
    }

    @Override
    public Answer answerSampling(String path, byte[] body) {
      AggregatedHttpResponse r = xray.answerSampling(path, body);
      return new Answer(r.status().code(), r.headers().get("x-amzn-errortype"), r.content().array());
    }

    @Override
    public void close() {
      try {
        logs.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing CloudWatch Logs failed: " + e.getMessage(), e);
      }
    }
  }
}
