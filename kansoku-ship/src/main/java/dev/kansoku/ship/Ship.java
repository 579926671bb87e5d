package dev.kansoku.ship;

import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClientBuilder;

/** {@code kansoku ship}: see {@link ShipOptions#USAGE}. Exit codes: 0 done, 1 events dropped, 2 bad command line. */
public final class Ship {
  private static final Logger log = LoggerFactory.getLogger(Ship.class);
  private static final Duration POLL = Duration.ofMillis(200);
  /** After SIGTERM, how long a failing endpoint is retried before the remaining lines are given up. */
  private static final Duration GIVE_UP_AFTER_STOP = Duration.ofSeconds(10);

  private Ship() {}

  /** Runs the command until its input ends or the JVM is asked to stop. */
  public static int run(List<String> args, InputStream stdin, PrintStream err) {
    if (args.contains("--help") || args.contains("-h")) {
      err.println(ShipOptions.USAGE);
      return 0;
    }
    ShipOptions o;
    try {
      o = ShipOptions.parse(args);
    } catch (ShipOptions.UsageException e) {
      err.println(e.getMessage() + "\n\n" + ShipOptions.USAGE);
      return 2;
    }
    Region region;
    try {
      region = region(o);
    } catch (SdkClientException e) {
      err.println("kansoku ship: no AWS region: pass --region or set AWS_REGION");
      return 2;
    }
    LineSource source = o.file() == null ? new StreamSource(stdin) : new FileFollower(o.file(), o.fromStart(), POLL);
    try (CloudWatchLogsClient client = client(o, region)) {
      CloudWatchLogsSink sink = new CloudWatchLogsSink(client, o.logGroup(), o.logStream(), Duration.ofMillis(200),
          Duration.ofSeconds(10), GIVE_UP_AFTER_STOP);
      Shipper shipper = new Shipper(source, sink, o.flushInterval(), System::currentTimeMillis);
      CountDownLatch finished = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        shipper.stop();
        try {
          finished.await(GIVE_UP_AFTER_STOP.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "ship-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      log.info("shipping {} to {} {}/{}", source.description(),
          o.endpoint() == null ? "CloudWatch Logs in " + region : o.endpoint(), o.logGroup(), o.logStream());
      try {
        shipper.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        log.info("shipped {} events in {} PutLogEvents calls; {} dropped, {} rejected as too old or new",
            sink.sentEvents(), sink.sentBatches(), sink.droppedEvents(), sink.rejectedEvents());
        finished.countDown();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook is the one waiting for us.
      }
      return sink.droppedEvents() > 0 ? 1 : 0;
    }
  }

  /**
   * Follows {@code file} from its start into {@code group}/{@code stream} at {@code endpoint} on a
   * background thread, as {@code ship --file --from-start} does; closing stops it after sending what was
   * read (retrying a failing endpoint for at most 10 s).
   */
  public static AutoCloseable follow(Path file, URI endpoint, String group, String stream) {
    ShipOptions o = new ShipOptions(endpoint, null, group, stream, file, true, Duration.ofSeconds(1));
    CloudWatchLogsClient client = client(o, region(o));
    CloudWatchLogsSink sink = new CloudWatchLogsSink(client, group, stream, Duration.ofMillis(200),
        Duration.ofSeconds(10), GIVE_UP_AFTER_STOP);
    Shipper shipper = new Shipper(new FileFollower(file, true, POLL), sink, o.flushInterval(), System::currentTimeMillis);
    Thread thread = new Thread(() -> {
      try {
        shipper.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "ship-" + stream);
    thread.setDaemon(true);
    thread.start();
    return () -> {
      shipper.stop();
      thread.join(GIVE_UP_AFTER_STOP.toMillis() + 5_000);
      client.close();
    };
  }

  private static Region region(ShipOptions o) {
    if (o.region() != null) {
      return Region.of(o.region());
    }
    try {
      return DefaultAwsRegionProviderChain.builder().build().getRegion();
    } catch (SdkClientException e) {
      if (o.endpoint() != null) {
        return Region.US_EAST_1;
      }
      throw e;
    }
  }

  private static CloudWatchLogsClient client(ShipOptions o, Region region) {
    AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
    if (o.endpoint() != null) {
      // Kansoku accepts any credentials unless configured otherwise: without any, send unsigned.
      credentials = AwsCredentialsProviderChain.builder()
          .credentialsProviders(credentials, AnonymousCredentialsProvider.create()).build();
    }
    CloudWatchLogsClientBuilder b = CloudWatchLogsClient.builder().region(region).credentialsProvider(credentials)
        .httpClient(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(30)).build())
        // CloudWatchLogsSink retries itself, with a policy that outlasts an endpoint restart.
        .overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none()));
    if (o.endpoint() != null) {
      b.endpointOverride(o.endpoint());
    }
    return b.build();
  }
}
